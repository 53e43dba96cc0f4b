import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetupVisibleTo } from '../src/modules/trust/policy.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, join, logInAgain, signUp, type TestMember } from './support/fixtures.js';
import { localId, propose, vote } from './support/governance.js';
import { completedExchange, ConfirmExchange, postAsk, postOffer } from './support/reciprocity.js';
import { statementsToHear, subscribe } from './support/subscriptions.js';
import { CheckIn, RecordAttendance, Rsvp, scheduleMeetup, tiesOf, Vouch } from './support/trust.js';

const MeetupCode = graphql(`query MeetupCode($id: ID!) { node(id: $id) { ... on Meetup { attendanceCode rsvps { member { handle } response waitlisted } } } }`);

const Introduce = graphql(`
  mutation Introduce($input: IntroduceInput!) {
    introduce(input: $input) { introduction { id responseA responseB metAt exchangedAt } errors { code message field } }
  }
`);
const RespondToIntroduction = graphql(`
  mutation RespondToIntroduction($input: RespondToIntroductionInput!) {
    respondToIntroduction(input: $input) { introduction { id responseA responseB } errors { code message field } }
  }
`);
const IntroductionOutcome = graphql(`query IntroductionOutcome($id: ID!) { node(id: $id) { ... on Introduction { metAt exchangedAt } } }`);
const RevokeVouch = graphql(`mutation RevokeVouch($input: RevokeVouchInput!) { revokeVouch(input: $input) { vouch { revokedAt } errors { code } } }`);
const SetEngagementLevel = graphql(`
  mutation SetEngagementLevel($input: SetEngagementLevelInput!) {
    setEngagementLevel(input: $input) { membership { engagementLevel history { kind from to reason } } errors { code message field } }
  }
`);
const Membership = graphql(`
  query MembershipOf($slug: String!) {
    network(slug: $slug) { viewerMembership { id trustLevel engagementLevel suggestedEngagementLevel history { kind from to reason } } }
  }
`);
const StewardViews = graphql(`
  query StewardViews($slug: String!) {
    network(slug: $slug) {
      engagementPortfolio(coolingAfterDays: 30) {
        levels { level count } weakTies strongTies
        readyToMoveUp { membership { member { handle } engagementLevel } suggestedLevel reason }
        coolingTies { memberA { handle } memberB { handle } peakStrength }
      }
      map { nodes { member { handle } cluster engagementLevel } edges { source target strength } }
      connectors(first: 5) { member { handle } score reasons }
    }
  }
`);
const Portfolio = graphql(`query PortfolioOnly($slug: String!) { network(slug: $slug) { engagementPortfolio { weakTies } } }`);
const MapOnly = graphql(`query MapOnly($slug: String!) { network(slug: $slug) { map { edges { strength } } } }`);
const ConnectorsOnly = graphql(`query ConnectorsOnly($slug: String!) { network(slug: $slug) { connectors { score } } }`);
const MembershipEvents = graphql(`
  subscription TrustMembershipEvents($networkId: ID!) { membershipEvents(networkId: $networkId) { type membership { trustLevel member { handle } } } }
`);
const Suggestions = graphql(`
  query TieSuggestions($id: ID!) { node(id: $id) { ... on Ask { suggestedOffers(first: 5) { member { handle } reasons score } } } }
`);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
let clock = Date.now();
let app: TestApp;
let ada: TestMember; // steward
let grace: TestMember;
let linus: TestMember;
let mira: TestMember;
let networkId: string;
const slug = 'trust';

beforeAll(async () => {
  app = await createTestApp({ now: () => new Date(clock) });
  [ada, grace, linus, mira] = [await signUp(app, 'ada'), await signUp(app, 'grace'), await signUp(app, 'linus'), await signUp(app, 'mira')];
  networkId = await createNetwork(app, ada, { slug });
  for (const m of [grace, linus, mira]) await join(app, m, networkId);
});
afterAll(() => app.close());

const membership = async (member: TestMember, network = slug) =>
  (await app.execute(Membership, { slug: network }, { token: member.token })).data!.network!.viewerMembership!;

describe('meetups', () => {
  let meetupId: string;
  let code: string;

  it('take RSVPs up to capacity, then a waitlist that moves up', async () => {
    const meetup = await scheduleMeetup(app, ada, networkId, new Date(clock + 2 * HOUR), { capacity: 2 });
    meetupId = meetup.id;
    code = meetup.attendanceCode!;
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    const answer = (m: TestMember, response: 'GOING' | 'MAYBE' | 'NOT_GOING') =>
      app.execute(Rsvp, { input: { meetupId, response } }, { token: m.token }).then((r) => r.data!.rsvp);
    expect((await answer(grace, 'GOING')).rsvp).toMatchObject({ waitlisted: false });
    expect((await answer(linus, 'GOING')).rsvp).toMatchObject({ waitlisted: false });
    expect(await answer(mira, 'GOING')).toMatchObject({ rsvp: { waitlisted: true }, meetup: { goingCount: 2 } });
    await answer(linus, 'NOT_GOING');
    const node = (await app.execute(MeetupCode, { id: meetupId }, { token: ada.token })).data!.node;
    expect(node && 'rsvps' in node && node.rsvps.map((r) => [r.member.handle, r.response, r.waitlisted])).toEqual([
      ['grace', 'GOING', false],
      ['linus', 'NOT_GOING', false],
      ['mira', 'GOING', false],
    ]);
  });

  it('show the attendance code to the organizer and stewards only', async () => {
    const asGrace = (await app.execute(MeetupCode, { id: meetupId }, { token: grace.token })).data!.node;
    expect(asGrace).toMatchObject({ attendanceCode: null });
  });

  it('check members in with the code only while check-in is open, and stop code guessing', async () => {
    const checkIn = (m: TestMember, c: string) => app.execute(CheckIn, { input: { meetupId, code: c } }, { token: m.token }).then((r) => r.data!.checkIn);
    expect((await checkIn(grace, code)).errors[0]).toMatchObject({ code: 'CONFLICT', message: 'Check-in opens 30 minutes before the meetup starts.' });
    clock += 2 * HOUR;
    for (let i = 0; i < 5; i++) expect((await checkIn(linus, 'WRONG1')).errors[0]?.code).toBe('BAD_USER_INPUT');
    expect((await checkIn(linus, code)).errors[0]).toMatchObject({ code: 'RATE_LIMITED', field: ['code'] });
    expect((await checkIn(grace, code.toLowerCase())).errors).toEqual([]);
    const recorded = await app.execute(RecordAttendance, { input: { meetupId, memberIds: [mira.id, ada.id] } }, { token: ada.token });
    expect(recorded.data!.recordAttendance.meetup?.attendees.map((a) => a.handle)).toEqual(['grace', 'mira', 'ada']);
    const notOrganizer = await app.execute(RecordAttendance, { input: { meetupId, memberIds: [linus.id] } }, { token: grace.token });
    expect(notOrganizer.data!.recordAttendance.errors[0]?.code).toBe('FORBIDDEN');
    clock += 3 * HOUR + 1000;
    expect((await checkIn(mira, code)).errors[0]).toMatchObject({ code: 'CONFLICT', message: 'Check-in for this meetup has closed.' });
  });

  it('give everyone who attended a tie with everyone else there', async () => {
    const graceTies = await tiesOf(app, grace, networkId);
    expect([...graceTies.keys()].sort()).toEqual(['ada', 'mira']);
    expect(graceTies.get('mira')).toMatchObject({ meetupsTogether: 1, strong: false });
    expect(graceTies.get('mira')!.strength).toBeCloseTo(0.088, 3);
    expect(await tiesOf(app, linus, networkId)).toEqual(new Map());
    expect(await tiesOf(app, grace, networkId, linus)).toEqual(new Map()); // not theirs to see
  });

  it('make attendees KNOWN, with the reason in their history', async () => {
    const graceNow = await membership(grace);
    expect(graceNow.trustLevel).toBe(1);
    expect(graceNow.history.at(-1)).toEqual({
      kind: 'TRUST_LEVEL',
      from: '0',
      to: '1',
      reason: 'Reached KNOWN: meetups attended 1 (needs 1), members met in person 2 (needs 1).',
    });
    expect((await membership(linus)).trustLevel).toBe(0);
  });
});

describe('ties', () => {
  it('grow more from exchanges both ways than from as many one way, and fade with time', async () => {
    await completedExchange(app, grace, linus, networkId);
    await completedExchange(app, linus, grace, networkId);
    await completedExchange(app, mira, linus, networkId);
    await completedExchange(app, mira, linus, networkId);
    const linusTies = await tiesOf(app, linus, networkId);
    expect(linusTies.get('grace')).toMatchObject({ exchangesGiven: 1, exchangesReceived: 1 });
    expect(linusTies.get('mira')).toMatchObject({ exchangesGiven: 0, exchangesReceived: 2 });
    expect(linusTies.get('grace')!.strength).toBeGreaterThan(linusTies.get('mira')!.strength);
    const before = linusTies.get('grace')!.strength;
    clock += 90 * DAY;
    for (const m of [ada, grace, linus, mira]) await logInAgain(app, m);
    expect((await tiesOf(app, linus, networkId)).get('grace')!.strength).toBeCloseTo(before / 2, 2);
  });

  it('count vouches and accepted introductions, and record what introductions led to', async () => {
    const before = (await tiesOf(app, ada, networkId)).get('grace')?.strength ?? 0;
    const vouched = await app.execute(Vouch, { input: { networkId, memberId: grace.id, context: 'We ran the café together' } }, { token: ada.token });
    expect(vouched.data!.vouch.errors).toEqual([]);
    const again = await app.execute(Vouch, { input: { networkId, memberId: grace.id, context: 'Again' } }, { token: ada.token });
    expect(again.data!.vouch.errors[0]?.code).toBe('CONFLICT');
    const self = await app.execute(Vouch, { input: { networkId, memberId: ada.id, context: 'Me' } }, { token: ada.token });
    expect(self.data!.vouch.errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['memberId'] });
    const afterVouch = (await tiesOf(app, ada, networkId)).get('grace')!;
    expect(afterVouch.vouched).toBe(true);
    expect(afterVouch.strength).toBeGreaterThan(before);

    const intro = await app.execute(Introduce, { input: { networkId, memberAId: linus.id, memberBId: ada.id, note: 'You both fix lamps' } }, { token: grace.token });
    const introductionId = intro.data!.introduce.introduction!.id;
    await app.execute(RespondToIntroduction, { input: { introductionId, accept: true } }, { token: linus.token });
    const outsider = await app.execute(RespondToIntroduction, { input: { introductionId, accept: true } }, { token: mira.token });
    expect(outsider.data!.respondToIntroduction.errors[0]?.code).toBe('NOT_FOUND');
    await app.execute(RespondToIntroduction, { input: { introductionId, accept: true } }, { token: ada.token });
    expect((await tiesOf(app, linus, networkId)).get('ada')).toMatchObject({ introductionsAccepted: 1, meetupsTogether: 0 });

    await completedExchange(app, ada, linus, networkId);
    const outcome = (await app.execute(IntroductionOutcome, { id: introductionId }, { token: grace.token })).data!.node;
    expect(outcome).toMatchObject({ metAt: null });
    expect(outcome && 'exchangedAt' in outcome && outcome.exchangedAt).toBeTruthy();
  });
});

describe('trust levels', () => {
  it('follow thresholds changed by proposal, up and down, each change recorded and announced', async () => {
    const events = await subscribe(app, MembershipEvents, { networkId }, ada.token);
    // Make TRUSTED reachable now: one meetup, one member met, one vouch from a steward.
    const low = await propose(app, ada, networkId, {
      title: 'Trust sooner',
      action: 'SET_TRUST_THRESHOLDS',
      trustLevel: 2,
      trustThresholds: { meetupsAttended: 1, distinctMembersMet: 1, confirmedExchangesGiven: 0, confirmedExchangesReceived: 0, vouchesFromTrusted: 1, tenureDays: 0 },
    });
    for (const m of [ada, grace, linus]) await vote(app, m, low.id, 'YES');
    expect((await vote(app, mira, low.id, 'YES')).status).toBe('PASSED');
    // Grace attended and has ada's vouch: TRUSTED. Mira attended but nobody vouched: KNOWN.
    expect((await membership(grace)).trustLevel).toBe(2);
    expect((await membership(mira)).trustLevel).toBe(1);
    const promoted: { type: string; membership: { member: { handle: string } } }[] = [];
    for (let i = 0; i < 6 && !promoted.some((e) => e.membership.member.handle === 'grace'); i++) {
      promoted.push((await events.next()).data!.membershipEvents);
    }
    expect(promoted.find((e) => e.membership.member.handle === 'grace')).toEqual({
      type: 'TRUST_LEVEL_CHANGED',
      membership: { trustLevel: 2, member: { handle: 'grace' } },
    });

    const vouches = await app.database.prisma.vouch.findFirstOrThrow({ where: { voucheeId: localId(grace.id) } });
    const vouchId = Buffer.from(`Vouch:${vouches.id}`).toString('base64');
    await app.execute(RevokeVouch, { input: { vouchId } }, { token: ada.token });
    const after = await membership(grace);
    expect(after.trustLevel).toBe(1);
    expect(after.history.at(-1)).toEqual({ kind: 'TRUST_LEVEL', from: '2', to: '1', reason: 'No longer TRUSTED: vouches from trusted members 0 below 1.' });
    events.close();
  });

  it('count confirmed exchanges', async () => {
    const netId = await createNetwork(app, ada, { slug: 'confirming' });
    await join(app, grace, netId);
    const raise = await propose(app, ada, netId, {
      title: 'Known by exchanging',
      action: 'SET_TRUST_THRESHOLDS',
      trustLevel: 1,
      trustThresholds: { meetupsAttended: 0, distinctMembersMet: 0, confirmedExchangesGiven: 0, confirmedExchangesReceived: 1 },
    });
    await vote(app, ada, raise.id, 'YES');
    await vote(app, grace, raise.id, 'YES');
    const exchange = await completedExchange(app, ada, grace, netId);
    expect((await membership(grace, 'confirming')).trustLevel).toBe(0);
    await app.execute(ConfirmExchange, { input: { exchangeId: exchange.id } }, { token: grace.token });
    await app.execute(ConfirmExchange, { input: { exchangeId: exchange.id } }, { token: ada.token });
    expect((await membership(grace, 'confirming')).trustLevel).toBe(1);
  });
});

describe('the engagement pyramid', () => {
  it('suggests a level from behaviour, which stewards confirm with a reason kept in history', async () => {
    const own = await membership(linus);
    expect(own).toMatchObject({ engagementLevel: 'OBSERVING', suggestedEngagementLevel: 'CONTRIBUTING' });
    const refused = await app.execute(SetEngagementLevel, { input: { membershipId: own.id, level: 'CONTRIBUTING', reason: 'x' } }, { token: grace.token });
    expect(refused.data!.setEngagementLevel.errors[0]?.code).toBe('FORBIDDEN');
    const set = await app.execute(
      SetEngagementLevel,
      { input: { membershipId: own.id, level: 'CONTRIBUTING', reason: 'Fixes bikes for everyone' } },
      { token: ada.token },
    );
    expect(set.data!.setEngagementLevel.membership).toMatchObject({ engagementLevel: 'CONTRIBUTING' });
    expect(set.data!.setEngagementLevel.membership!.history.at(-1)).toEqual({
      kind: 'ENGAGEMENT_LEVEL',
      from: 'OBSERVING',
      to: 'CONTRIBUTING',
      reason: 'Fixes bikes for everyone',
    });
  });
});

describe('steward views', () => {
  it('give stewards the portfolio, the map and the connectors', async () => {
    const views = (await app.execute(StewardViews, { slug }, { token: ada.token })).data!.network!;
    const portfolio = views.engagementPortfolio;
    expect(portfolio.levels.find((l) => l.level === 'LEADING')!.count).toBe(1);
    expect(portfolio.levels.reduce((n, l) => n + l.count, 0)).toBe(4);
    expect(portfolio.weakTies + portfolio.strongTies).toBeGreaterThan(0);
    expect(portfolio.readyToMoveUp.map((r) => [r.membership.member.handle, r.suggestedLevel])).toEqual(
      expect.arrayContaining([['grace', 'CONTRIBUTING'], ['mira', 'CONTRIBUTING']]),
    );
    expect(views.map.nodes).toHaveLength(4);
    expect(views.map.edges.length).toBeGreaterThan(0);
    const handles = new Set(views.map.nodes.map((n) => n.member.handle));
    expect(handles).toEqual(new Set(['ada', 'grace', 'linus', 'mira']));
    expect(views.connectors.every((c) => c.score > 0 && c.reasons.length > 0)).toBe(true);
  });

  it('are refused to everyone else, as are attendance codes', async () => {
    const results = [
      await app.execute(Portfolio, { slug }, { token: grace.token }),
      await app.execute(MapOnly, { slug }, { token: grace.token }),
      await app.execute(ConnectorsOnly, { slug }, { token: grace.token }),
    ];
    for (const result of results) {
      expect(result.errors?.[0]).toMatchObject({ message: "Only the network's stewards can see this.", extensions: { code: 'FORBIDDEN' } });
    }
  });

  it('list strong ties nobody tended as cooling', async () => {
    const netId = await createNetwork(app, ada, { slug: 'cooling' });
    await join(app, grace, netId);
    const a = localId(ada.id) < localId(grace.id) ? localId(ada.id) : localId(grace.id);
    const b = a === localId(ada.id) ? localId(grace.id) : localId(ada.id);
    await app.database.prisma.tie.create({
      data: { networkId: localId(netId), memberAId: a, memberBId: b, meetupsTogether: 6, strength: 0.7, firstInteractionAt: new Date(clock - 100 * DAY), lastInteractionAt: new Date(clock - 45 * DAY) },
    });
    const views = (await app.execute(StewardViews, { slug: 'cooling' }, { token: ada.token })).data!.network!;
    expect(views.engagementPortfolio.coolingTies).toHaveLength(1);
    expect(views.engagementPortfolio.coolingTies[0]!.peakStrength).toBe(0.7);
  });
});

describe('endorsements, introductions that lead to meeting, and meetup events', () => {
  it('endorse a skill once per endorser', async () => {
    const EndorseSkill = graphql(`
      mutation EndorseSkill($input: EndorseSkillInput!) { endorseSkill(input: $input) { endorsement { skill endorser { handle } } errors { code field } } }
    `);
    const Endorsements = graphql(`query Endorsements($id: ID!) { node(id: $id) { ... on Member { endorsements { skill endorser { handle } } } } }`);
    const input = { networkId, memberId: linus.id, skill: 'Bicycle repair' };
    expect((await app.execute(EndorseSkill, { input }, { token: grace.token })).data!.endorseSkill.endorsement).toEqual({ skill: 'Bicycle repair', endorser: { handle: 'grace' } });
    expect((await app.execute(EndorseSkill, { input }, { token: grace.token })).data!.endorseSkill.errors).toEqual([{ code: 'CONFLICT', field: ['skill'] }]);
    const seen = (await app.execute(Endorsements, { id: linus.id }, { token: mira.token })).data!.node;
    expect(seen).toEqual({ endorsements: [{ skill: 'Bicycle repair', endorser: { handle: 'grace' } }] });
  });

  it('record that introduced members met, and tell members about meetups as they happen', async () => {
    const MeetupEvents = graphql(`subscription MeetupEvents($networkId: ID!) { meetupEvents(networkId: $networkId) { type meetup { title } } }`);
    const events = await subscribe(app, MeetupEvents, { networkId }, linus.token);
    const intro = await app.execute(Introduce, { input: { networkId, memberAId: mira.id, memberBId: linus.id, note: 'Neighbours' } }, { token: ada.token });
    const introductionId = intro.data!.introduce.introduction!.id;
    const meetup = await scheduleMeetup(app, ada, networkId, new Date(clock + HOUR));
    expect((await events.next()).data!.meetupEvents).toEqual({ type: 'SCHEDULED', meetup: { title: 'Repair café' } });
    clock += HOUR;
    await app.execute(RecordAttendance, { input: { meetupId: meetup.id, memberIds: [mira.id, linus.id] } }, { token: ada.token });
    expect((await events.next()).data!.meetupEvents.type).toBe('ATTENDED');
    const outcome = (await app.execute(IntroductionOutcome, { id: introductionId }, { token: ada.token })).data!.node;
    expect(outcome && 'metAt' in outcome && outcome.metAt).toBeTruthy();
    events.close();
  });

  it('reads what a meetup event needs once for all its subscribers, however many there are', async () => {
    const MeetupTitles = graphql(`subscription CountedMeetupEvents($networkId: ID!) { meetupEvents(networkId: $networkId) { type meetup { title organizer { handle } } } }`);
    const statementsFor = async (subscribers: number) => {
      const members: TestMember[] = [];
      for (let i = 0; i < subscribers; i++) members.push(await signUp(app));
      for (const member of members) await join(app, member, networkId);
      const { statements, heard } = await statementsToHear(app, MeetupTitles, { networkId }, members.map((m) => m.token), () =>
        scheduleMeetup(app, ada, networkId, new Date(clock + 3 * HOUR)),
      );
      expect(heard.map((result) => result.data?.meetupEvents.meetup.organizer.handle)).toEqual(members.map(() => 'ada'));
      return statements;
    };
    expect(await statementsFor(8)).toBe(await statementsFor(2));
  });

  it('decides at delivery time as the query policy does', async () => {
    const db = app.database.prisma;
    const meetup = await scheduleMeetup(app, ada, networkId, new Date(clock + 4 * HOUR));
    const networkRow = localId(networkId);
    for (const status of ['ACTIVE', 'PENDING', 'LEFT', 'REMOVED', null] as const) {
      const reader = randomUUID();
      await db.member.create({ data: { id: reader, email: `${reader}@example.org`, handle: `t${reader.slice(0, 8)}`, displayName: 'Reader', passwordHash: 'x' } });
      if (status) await db.membership.create({ data: { memberId: reader, networkId: networkRow, status } });
      const byQuery = (await app.services.meetups.findVisible(reader, localId(meetup.id))) !== null;
      expect({ status, seen: meetupVisibleTo(meetup, reader, status ? { status } : null) }).toEqual({ status, seen: byQuery });
    }
  });
});

describe('matching with ties', () => {
  it('names offers two steps away through a strong tie', async () => {
    const netId = await createNetwork(app, ada, { slug: 'matching-ties' });
    const tomas = await signUp(app, 'tomas');
    for (const m of [grace, linus, tomas]) await join(app, m, netId);
    const tie = async (x: TestMember, y: TestMember, strength: number) => {
      const [a, b] = [localId(x.id), localId(y.id)].sort() as [string, string];
      await app.database.prisma.tie.create({
        data: { networkId: localId(netId), memberAId: a, memberBId: b, meetupsTogether: 5, strength, firstInteractionAt: new Date(clock), lastInteractionAt: new Date(clock) },
      });
    };
    await tie(grace, linus, 0.8);
    await tie(linus, tomas, 0.2);
    const ask = await postAsk(app, grace, netId, { kind: 'SKILLS', title: 'Build a bench', tags: ['wood'] });
    await postOffer(app, tomas, netId, { kind: 'SKILLS', title: 'Woodwork', tags: ['wood'] });
    const node = (await app.execute(Suggestions, { id: ask.id }, { token: grace.token })).data!.node;
    const matches = node && 'suggestedOffers' in node ? node.suggestedOffers : [];
    expect(matches[0]).toMatchObject({ member: { handle: 'tomas' } });
    expect(matches[0]!.reasons).toContain('Two steps away through a strong tie');
  });
});
