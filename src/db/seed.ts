import type { Services } from '../services.js';
import type { Db } from './database.js';

/** Password of every demo account (printed at start; the embedded database only). */
export const DEMO_PASSWORD = 'tiebridge-demo';
export const DEMO_NETWORK_SLUG = 'riverside-repair';

const members = [
  { handle: 'ada', displayName: 'Ada Okafor', bio: 'Runs the Saturday repair café.', skills: ['Electronics', 'Facilitation'] },
  { handle: 'grace', displayName: 'Grace Lindqvist', bio: 'Sews, mends and teaches it.', skills: ['Sewing', 'Teaching'] },
  { handle: 'linus', displayName: 'Linus Brandt', bio: 'Bikes, mostly.', skills: ['Bicycle repair'] },
  { handle: 'mira', displayName: 'Mira Haddad', bio: 'Knows every landlord on the river.', skills: ['Tenant rights', 'Translation'] },
  { handle: 'tomas', displayName: 'Tomás Reyes', bio: 'New in town, good with wood.', skills: ['Carpentry'] },
] as const;

export const demoEmail = (handle: string) => `${handle}@demo.tiebridge.org`;

/**
 * One public network with a handful of members, created through the services (so the
 * activity record is as it would be). Safe to run on every start: each step is skipped
 * when its result is already there.
 */
export async function seedDemoData(db: Db, services: Services): Promise<boolean> {
  if (await db.network.findUnique({ where: { slug: DEMO_NETWORK_SLUG } })) return false;
  const ids: string[] = [];
  for (const m of members) {
    const existing = await db.member.findUnique({ where: { email: demoEmail(m.handle) } });
    const memberId =
      existing?.id ??
      (await services.accounts.signUp({ email: demoEmail(m.handle), password: DEMO_PASSWORD, handle: m.handle, displayName: m.displayName }))
        .member.id;
    await services.accounts.updateProfile({ memberId, sessionId: null }, { bio: m.bio, skills: [...m.skills] });
    ids.push(memberId);
  }
  const [founder, ...others] = ids.map((memberId) => ({ memberId, sessionId: null }));
  const network = await services.networks.createNetwork(founder!, {
    name: 'Riverside Repair Collective',
    slug: DEMO_NETWORK_SLUG,
    purpose: 'Neighbours who fix things together, so less ends up in the bin and more of us know each other.',
    visibility: 'PUBLIC',
    joinPolicy: 'OPEN',
    decisionMethod: 'MAJORITY',
    quorum: 0.3,
    votingPeriodHours: 72,
  });
  for (const viewer of others) await services.networks.join(viewer, { networkId: network.id, message: null });
  return true;
}
