import { builder } from '../../graphql/builder.js';
import { ContributionKindEnum } from '../../graphql/enums.js';
import { codedError } from '../../graphql/errors.js';
import { localId } from '../../graphql/ids.js';
import { MemberNode } from '../accounts/schema.js';
import type { LedgerLine } from './service.js';

type Flow = { kind: LedgerLine['kind']; count: number; hours: number; units: number };

const KindFlow = builder.objectRef<Flow>('KindFlow').implement({
  description: 'Completed exchanges of one contribution kind, and their measures.',
  fields: (t) => ({
    kind: t.field({ type: ContributionKindEnum, resolve: (f) => f.kind }),
    count: t.exposeInt('count'),
    hours: t.exposeFloat('hours'),
    units: t.exposeFloat('units'),
  }),
});

const given = (l: LedgerLine): Flow => ({ kind: l.kind, count: l.givenCount, hours: l.givenHours, units: l.givenUnits });
const received = (l: LedgerLine): Flow => ({ kind: l.kind, count: l.receivedCount, hours: l.receivedHours, units: l.receivedUnits });
const sum = (flows: Flow[]) => flows.reduce((n, f) => n + f.count, 0);

const Reciprocity = builder.objectRef<LedgerLine[]>('Reciprocity').implement({
  description: "A member's reciprocity ledger in one network: what they gave and received, per kind.",
  fields: (t) => ({
    given: t.field({ type: [KindFlow], resolve: (lines) => lines.map(given) }),
    received: t.field({ type: [KindFlow], resolve: (lines) => lines.map(received) }),
    totalGiven: t.int({ resolve: (lines) => sum(lines.map(given)) }),
    totalReceived: t.int({ resolve: (lines) => sum(lines.map(received)) }),
  }),
});

builder.prismaObjectField('Member', 'reciprocity', (t) =>
  t.field({
    type: Reciprocity,
    description: 'Given and received per contribution kind from completed exchanges; zeros where the viewer may not see the membership.',
    args: { networkId: t.arg.id({ required: true }) },
    resolve: (member, args, context) => {
      const networkId = localId(args.networkId, 'Network');
      if (!networkId) throw codedError('Not a Network ID.', 'BAD_USER_INPUT');
      return context.ledgers.load({ memberId: member.id, networkId });
    },
  }),
);

type NetworkLedger = { totals: LedgerLine[]; onlyGive: string[]; onlyReceive: string[] };

const NetworkReciprocity = builder.objectRef<NetworkLedger>('NetworkReciprocity').implement({
  description: 'The reciprocity of a whole network, for its stewards.',
  fields: (t) => ({
    totals: t.field({
      type: [KindFlow],
      description: 'Completed exchanges per kind (each counted once).',
      resolve: (n) => n.totals.map(given),
    }),
    membersWhoOnlyGive: t.prismaField({
      type: [MemberNode],
      resolve: (query, n, _args, context) => context.services.accounts.findMembers(n.onlyGive, query),
    }),
    membersWhoOnlyReceive: t.prismaField({
      type: [MemberNode],
      resolve: (query, n, _args, context) => context.services.accounts.findMembers(n.onlyReceive, query),
    }),
  }),
});

builder.prismaObjectField('Network', 'reciprocity', (t) =>
  t.field({
    type: NetworkReciprocity,
    nullable: true,
    description: "Stewards only (null for others): totals per kind, and who only gives or only receives.",
    resolve: async (network, _args, context) => {
      const viewer = context.viewer?.memberId;
      if (!viewer || !(await context.services.networks.isSteward(viewer, network.id))) return null;
      return context.services.exchanges.networkReciprocity(network.id);
    },
  }),
);
