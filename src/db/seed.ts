import type { ContributionKind } from '../domain.js';
import type { Viewer } from '../modules/accounts/service.js';
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

const NO_PARAMETERS = {
  ruleId: null,
  ruleKind: null,
  ruleTitle: null,
  ruleBody: null,
  decisionMethod: null,
  quorum: null,
  votingPeriodHours: null,
  purpose: null,
  goalId: null,
  goalTitle: null,
  goalStatus: null,
  memberId: null,
  role: null,
};

export const demoEmail = (handle: string) => `${handle}@demo.tiebridge.org`;

/**
 * One public network with a handful of members, a rule adopted by vote and a proposal
 * still open, open asks and offers, completed exchanges, vouches, an introduction and an
 * upcoming meetup, created through the services (so the activity record is as it would be). Safe to run on every start: each step is skipped
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
  const everyone = [founder!, ...others];

  // A rule adopted by a passed proposal (everyone voted, so it closed at once)...
  const adopted = await services.governance.createProposal(others[0]!, {
    ...NO_PARAMETERS,
    networkId: network.id,
    title: 'Show up or say so',
    body: 'We keep missing hands at the Saturday café because people say yes and do not come.',
    action: 'ADOPT_RULE',
    ruleKind: 'PARTICIPATION',
    ruleTitle: 'Show up or say so',
    ruleBody: 'If you said you would come to a meetup and cannot, tell the organiser a day ahead.',
  });
  for (const [i, viewer] of everyone.entries()) {
    await services.governance.castVote(viewer, { proposalId: adopted.id, choice: i === 3 ? 'ABSTAIN' : 'YES', reason: null });
  }
  // ...and an open one, still collecting votes.
  const open = await services.governance.createProposal(founder!, {
    ...NO_PARAMETERS,
    networkId: network.id,
    title: 'Repair 500 things this year',
    body: 'A goal to count towards, and to tell the council about.',
    action: 'SET_GOAL',
    goalTitle: 'Repair 500 things this year',
  });
  for (const viewer of everyone.slice(0, 2)) {
    await services.governance.castVote(viewer, { proposalId: open.id, choice: 'YES', reason: null });
  }

  // Open asks and offers, and exchanges that were completed and thanked for.
  const [ada, grace, linus, mira, tomas] = everyone as [Viewer, Viewer, Viewer, Viewer, Viewer];
  const listing = (kind: ContributionKind, title: string, tags: string[], description: string | null = null) => ({
    networkId: network.id,
    kind,
    title,
    tags,
    description,
    expiresAt: null,
    visibility: 'PUBLIC' as const,
  });
  await services.listings.post(tomas, 'ASK', listing('SKILLS', 'Help truing a wobbly bike wheel', ['bikes', 'repair']));
  await services.listings.post(mira, 'ASK', listing('CONNECTIONS', 'Who at the council handles tenant complaints?', ['housing']));
  await services.listings.post(linus, 'OFFER', listing('SKILLS', 'Bike repair on Saturday mornings', ['bikes', 'repair']));
  await services.listings.post(grace, 'OFFER', listing('KNOWLEDGE', 'Basic sewing and mending, one evening', ['sewing', 'mending']));
  await services.listings.post(ada, 'OFFER', listing('RESOURCES', 'Soldering station to borrow', ['electronics', 'tools']));

  const exchange = async (giver: Viewer, receiver: Viewer, kind: ContributionKind, description: string, measure: number, unit: 'HOURS' | 'UNITS', thanks: string) => {
    const proposed = await services.exchanges.propose(receiver, {
      networkId: network.id,
      giverId: giver.memberId,
      receiverId: receiver.memberId,
      kind,
      description,
      measure,
      measureUnit: unit,
      visibility: 'NETWORK',
      askId: null,
      offerId: null,
      idempotencyKey: null,
    });
    await services.exchanges.respond(giver, { exchangeId: proposed.id, accept: true });
    await services.exchanges.complete(giver, { exchangeId: proposed.id, gratitude: null });
    await services.exchanges.confirm(receiver, { exchangeId: proposed.id, gratitude: thanks });
    await services.exchanges.confirm(giver, { exchangeId: proposed.id, gratitude: null });
  };
  await exchange(grace, mira, 'KNOWLEDGE', 'Showed how to patch a jacket elbow', 1.5, 'HOURS', 'My jacket lives on!');
  await exchange(ada, linus, 'RESOURCES', 'Lent the soldering station for a weekend', 1, 'UNITS', 'Fixed two lamps with it.');
  await exchange(linus, ada, 'SKILLS', 'Adjusted the gears on the café bike', 1, 'HOURS', 'Rides like new.');

  // Trust in the making: vouches, an introduction, and the next repair café.
  await services.social.vouch(ada, { networkId: network.id, memberId: grace.memberId, context: 'We started the Saturday café together.' });
  await services.social.vouch(grace, { networkId: network.id, memberId: mira.memberId, context: 'Mira found us the hall.' });
  await services.social.introduce(grace, {
    networkId: network.id,
    memberAId: tomas.memberId,
    memberBId: linus.memberId,
    note: 'Tomás is new and good with wood; Linus needs a workbench.',
  });
  const saturday = new Date(services.now().getTime() + 3 * 24 * 3600 * 1000);
  saturday.setUTCHours(10, 0, 0, 0);
  const cafe = await services.meetups.schedule(ada, {
    networkId: network.id,
    title: 'Saturday repair café',
    description: 'Bring something broken; leave with it fixed and a new acquaintance.',
    place: 'Riverside community hall',
    startsAt: saturday,
    endsAt: new Date(saturday.getTime() + 3 * 3600 * 1000),
    capacity: 12,
  });
  for (const viewer of [grace, linus, tomas]) await services.meetups.rsvp(viewer, { meetupId: cafe.id, response: 'GOING' });
  return true;
}
