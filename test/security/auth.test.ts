import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '../../src/graphql/limits.js';
import { graphql } from '../graphql/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createNetwork, join, PASSWORD, SignUp, signUp, type TestMember } from '../support/fixtures.js';
import { CreateProposal } from '../support/governance.js';
import { CheckIn, scheduleMeetup } from '../support/trust.js';

const LogIn = graphql(`
  mutation SecurityLogIn($input: LogInInput!) { logIn(input: $input) { token errors { code message field retryAfterSeconds } } }
`);
const CreateWebhook = graphql(`
  mutation RateWebhook($input: CreateWebhookInput!) { createWebhook(input: $input) { errors { code retryAfterSeconds } } }
`);

const ChangePassword = graphql(`
  mutation RateChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { errors { code } } }
`);
const Erase = graphql(`
  mutation RateErase($input: EraseMyAccountInput!) { eraseMyAccount(input: $input) { erased errors { code } } }
`);
const Touch = graphql(`
  mutation RateTouch($input: UpdateProfileInput!) { updateProfile(input: $input) { errors { code retryAfterSeconds } } }
`);

let app: TestApp;
let ada: TestMember;
let networkId: string;

beforeAll(async () => {
  app = await createTestApp();
  ada = await signUp(app, 'ada');
  networkId = await createNetwork(app, ada, { slug: 'rates' });
});
afterAll(() => app.close());

const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
const logIn = (email: string, password: string, address = '192.0.2.1') =>
  app.execute(LogIn, { input: { email, password } }, from(address)).then((r) => r.data!.logIn);

describe('logIn limits', () => {
  it(`allow ${RATE_LIMITS['login.account'].points} attempts per account, then refuse even the right password`, async () => {
    const member = await signUp(app, 'locked');
    for (let i = 0; i < RATE_LIMITS['login.account'].points - 1; i++) {
      expect((await logIn(member.email, 'wrong password here', `198.51.100.${i}`)).errors[0]?.code).toBe('UNAUTHENTICATED');
    }
    expect((await logIn(member.email, PASSWORD, '198.51.100.200')).errors).toEqual([]); // the tenth attempt
    const locked = await logIn(member.email, PASSWORD, '198.51.100.201');
    expect(locked.token).toBeNull();
    expect(locked.errors).toEqual([
      { code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many attempts; try again in \d+ seconds\.$/), field: null, retryAfterSeconds: expect.any(Number) },
    ]);
    // An email nobody has is locked the same way: the answer tells nothing about accounts.
    for (let i = 0; i < RATE_LIMITS['login.account'].points; i++) await logIn('nobody@example.org', 'x', `203.0.113.${i}`);
    expect((await logIn('nobody@example.org', 'x', '203.0.113.200')).errors[0]?.code).toBe('RATE_LIMITED');
  });

  it('count every attempt, also when they come as aliases of one request', async () => {
    const member = await signUp(app, 'aliased');
    const n = RATE_LIMITS['login.account'].points + 1;
    const query = `mutation { ${Array.from({ length: n }, (_, i) => `a${i}: logIn(input: { email: "${member.email}", password: "wrong password ${i}" }) { errors { code } }`).join(' ')} }`;
    const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
      body: JSON.stringify({ query }),
    });
    const data = ((await response.json()) as { data: Record<string, { errors: { code: string }[] }> }).data;
    const codes = Object.values(data).map((r) => r.errors[0]!.code);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(n - 1);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(1);
  });

  it(`allow ${RATE_LIMITS['login.address'].points} attempts per client address`, async () => {
    const address = '192.0.2.99';
    for (let i = 0; i < RATE_LIMITS['login.address'].points; i++) {
      expect((await logIn(`someone${i}@example.org`, 'x', address)).errors[0]?.code).toBe('UNAUTHENTICATED');
    }
    expect((await logIn('someone-else@example.org', 'x', address)).errors[0]?.code).toBe('RATE_LIMITED');
  });

  it('take the address the proxy appended, not what the client put before it', async () => {
    const address = '192.0.2.123';
    for (let i = 0; i < RATE_LIMITS['login.address'].points; i++) {
      expect((await logIn(`spoofer${i}@example.org`, 'x', `203.0.113.${i}, ${address}`)).errors[0]?.code).toBe('UNAUTHENTICATED');
    }
    expect((await logIn('spoofer@example.org', 'x', `198.51.100.1, ${address}`)).errors[0]?.code).toBe('RATE_LIMITED');
  });
});

describe('limits on expensive mutations', () => {
  it(`allow ${RATE_LIMITS['signup.address'].points} sign-ups per address`, async () => {
    const attempt = (i: number) =>
      app.execute(SignUp, { input: { email: `s${i}@example.org`, password: PASSWORD, handle: `signup_${i}`, displayName: 'S' } }, from('192.0.2.50'));
    for (let i = 0; i < RATE_LIMITS['signup.address'].points; i++) expect((await attempt(i)).data!.signUp.errors).toEqual([]);
    expect((await attempt(99)).data!.signUp.errors[0]).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await app.database.prisma.member.count({ where: { handle: 'signup_99' } })).toBe(0);
  });

  it(`allow ${RATE_LIMITS['proposal.member'].points} proposals per member an hour`, async () => {
    const propose = () =>
      app.execute(CreateProposal, { input: { networkId, title: 'x', body: 'y', action: 'SET_GOAL', goalTitle: 'z' } }, { token: ada.token });
    for (let i = 0; i < RATE_LIMITS['proposal.member'].points; i++) expect((await propose()).data!.createProposal.errors).toEqual([]);
    expect((await propose()).data!.createProposal.errors[0]?.code).toBe('RATE_LIMITED');
  });

  it(`allow ${RATE_LIMITS['checkin.member'].points} check-in attempts per member`, async () => {
    const grace = await signUp(app, 'grace');
    await join(app, grace, networkId);
    const meetups = [];
    for (let i = 0; i < 5; i++) meetups.push(await scheduleMeetup(app, ada, networkId, new Date(Date.now() + 60_000)));
    let attempts = 0;
    // Four wrong codes per meetup (under its own limit of five) across meetups.
    for (const meetup of meetups) {
      for (let i = 0; i < 4; i++, attempts++) {
        const result = await app.execute(CheckIn, { input: { meetupId: meetup.id, code: 'WRONG1' } }, { token: grace.token });
        expect(result.data!.checkIn.errors[0]?.code).toBe('BAD_USER_INPUT');
      }
    }
    expect(attempts).toBe(RATE_LIMITS['checkin.member'].points);
    const over = await app.execute(CheckIn, { input: { meetupId: meetups[0]!.id, code: meetups[0]!.attendanceCode! } }, { token: grace.token });
    expect(over.data!.checkIn.errors[0]?.code).toBe('RATE_LIMITED');
  });

  it(`allow ${RATE_LIMITS['webhook.network'].points} webhooks per network an hour`, async () => {
    const create = () => app.execute(CreateWebhook, { input: { networkId, url: 'https://example.org/h', events: ['*'] } }, { token: ada.token });
    for (let i = 0; i < RATE_LIMITS['webhook.network'].points; i++) expect((await create()).data!.createWebhook.errors).toEqual([]);
    const over = (await create()).data!.createWebhook.errors[0]!;
    expect(over.code).toBe('RATE_LIMITED');
    expect(over.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('limits on password checks and on all mutations', () => {
  it(`allow ${RATE_LIMITS['password.member'].points} password checks per member, changePassword and eraseMyAccount together`, async () => {
    const member = await signUp(app, 'guesser');
    const change = (currentPassword: string) =>
      app.execute(ChangePassword, { input: { currentPassword, newPassword: 'a completely new passphrase' } }, { token: member.token }).then((r) => r.data!.changePassword.errors[0]?.code);
    const erase = (password: string) => app.execute(Erase, { input: { password, confirm: 'ERASE' } }, { token: member.token }).then((r) => r.data!.eraseMyAccount.errors[0]?.code);
    for (let i = 0; i < RATE_LIMITS['password.member'].points - 1; i++) expect(await change(`wrong guess ${i}`)).toBe('BAD_USER_INPUT');
    expect(await erase('wrong guess again')).toBe('BAD_USER_INPUT');
    // Locked: the right password is refused too, and the account stays.
    expect(await change(PASSWORD)).toBe('RATE_LIMITED');
    expect(await erase(PASSWORD)).toBe('RATE_LIMITED');
    expect(await app.database.prisma.member.count({ where: { handle: 'guesser', erasedAt: null } })).toBe(1);
  });

  it(`allow ${RATE_LIMITS.mutation.points} mutations a minute per member`, async () => {
    const member = await signUp(app, 'busy');
    const update = (i: number) => app.execute(Touch, { input: { bio: `bio ${i}` } }, { token: member.token }).then((r) => r.data!.updateProfile.errors);
    // signUp counted against the (anonymous) client address, not the member.
    for (let i = 0; i < RATE_LIMITS.mutation.points; i++) expect(await update(i)).toEqual([]);
    const over = await update(999);
    expect(over[0]).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    const bio = await app.database.prisma.member.findUniqueOrThrow({ where: { handle: 'busy' }, select: { bio: true } });
    expect(bio.bio).toBe(`bio ${RATE_LIMITS.mutation.points - 1}`);
  });
});

describe.skipIf(!process.env.REDIS_URL)('with Redis', () => {
  it('share the counters between instances', async () => {
    const prefix = `shared:${Date.now()}`;
    const first = await createTestApp({ rateLimitPrefix: prefix });
    const second = await first.anotherInstance({ rateLimitPrefix: prefix });
    try {
      const member = await signUp(first, 'shared');
      const attempt = (instance: TestApp, i: number) =>
        instance.execute(LogIn, { input: { email: member.email, password: `wrong ${i}` } }, from(`192.0.2.${i}`)).then((r) => r.data!.logIn.errors[0]!.code);
      for (let i = 0; i < RATE_LIMITS['login.account'].points; i++) expect(await attempt(i % 2 ? first : second, i)).toBe('UNAUTHENTICATED');
      expect(await attempt(first, 100)).toBe('RATE_LIMITED');
      expect(await attempt(second, 101)).toBe('RATE_LIMITED');
    } finally {
      await second.close();
      await first.close();
    }
  });
});
