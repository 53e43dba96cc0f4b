import { createHash } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argon2ParamsOf, ARGON2_PARAMS } from '../src/modules/accounts/rules.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { PASSWORD, SignUp, signUp } from './support/fixtures.js';

const LogIn = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      token
      member { handle }
      errors { code message field }
    }
  }
`);

const LogOut = graphql(`
  mutation LogOut {
    logOut
  }
`);

const Viewer = graphql(`
  query Viewer {
    viewer { id handle email displayName bio location skills }
  }
`);

const UpdateProfile = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      member { displayName bio location skills }
      errors { code message field }
    }
  }
`);

const DAY = 24 * 3600 * 1000;
let clock = Date.parse('2026-03-01T12:00:00Z');
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({ now: () => new Date(clock) });
});
afterAll(() => app.close());

const counts = async () => ({
  members: await app.database.prisma.member.count(),
  sessions: await app.database.prisma.session.count(),
  activities: await app.database.prisma.activity.count(),
});

describe('signUp', () => {
  it('creates a member, logs them in and records the activity', async () => {
    const before = await counts();
    const result = await app.execute(SignUp, {
      input: { email: '  Ada@Example.ORG ', password: PASSWORD, handle: 'Ada_O', displayName: ' Ada Okafor ' },
    });
    const payload = result.data!.signUp;
    expect(payload.errors).toEqual([]);
    expect(payload.member).toMatchObject({ handle: 'ada_o', displayName: 'Ada Okafor', email: 'ada@example.org' });
    expect(payload.token).toMatch(/^tb_[A-Za-z0-9_-]{43}$/); // 256 random bits
    const viewer = await app.execute(Viewer, {}, { token: payload.token });
    expect(viewer.data!.viewer).toMatchObject({ handle: 'ada_o', email: 'ada@example.org' });
    expect(await counts()).toEqual({ members: before.members + 1, sessions: before.sessions + 1, activities: before.activities + 1 });
  });

  it('stores only a SHA-256 of the token and an argon2id hash of the password', async () => {
    const member = await signUp(app, 'hashcheck');
    const session = await app.database.prisma.session.findFirstOrThrow({ where: { memberId: await dbId(member.handle) } });
    expect(Buffer.from(session.tokenHash)).toEqual(createHash('sha256').update(member.token).digest());
    const row = await app.database.prisma.member.findUniqueOrThrow({ where: { handle: 'hashcheck' } });
    expect(argon2ParamsOf(row.passwordHash)).toEqual({ variant: 'argon2id', ...ARGON2_PARAMS });
    expect(JSON.stringify(await app.database.prisma.session.findMany())).not.toContain(member.token);
  });

  it('refuses a taken email and handle with field errors, writing nothing', async () => {
    await signUp(app, 'taken');
    const before = await counts();
    const result = await app.execute(SignUp, {
      input: { email: 'TAKEN@example.org', password: PASSWORD, handle: 'TAKEN', displayName: 'Copy' },
    });
    expect(result.data!.signUp).toEqual({
      token: null,
      member: null,
      errors: [
        { code: 'CONFLICT', message: 'An account with this email already exists.', field: ['email'] },
        { code: 'CONFLICT', message: 'This handle is taken.', field: ['handle'] },
      ],
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses a weak password and a malformed email with field errors, writing nothing', async () => {
    const before = await counts();
    const result = await app.execute(SignUp, {
      input: { email: 'not-an-email', password: 'short', handle: 'x', displayName: '' },
    });
    const errors = result.data!.signUp.errors;
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ['BAD_USER_INPUT', ['email']],
      ['BAD_USER_INPUT', ['password']],
      ['BAD_USER_INPUT', ['handle']],
      ['BAD_USER_INPUT', ['displayName']],
    ]);
    expect(errors[1]!.message).toBe('Use at least 10 characters.');
    const common = await app.execute(SignUp, {
      input: { email: 'c@example.org', password: 'password123', handle: 'common', displayName: 'C' },
    });
    expect(common.data!.signUp.errors).toEqual([
      { code: 'BAD_USER_INPUT', message: 'This password is too common.', field: ['password'] },
    ]);
    expect(await counts()).toEqual(before);
  });
});

describe('logIn and logOut', () => {
  it('gives the same error for a wrong password and an unknown email, and writes nothing', async () => {
    await signUp(app, 'grace');
    const before = await counts();
    const wrong = await app.execute(LogIn, { input: { email: 'grace@example.org', password: 'not the password' } });
    const unknown = await app.execute(LogIn, { input: { email: 'nobody@example.org', password: PASSWORD } });
    expect(wrong.data!.logIn).toEqual({
      token: null,
      member: null,
      errors: [{ code: 'UNAUTHENTICATED', message: 'Email or password is incorrect.', field: null }],
    });
    expect(unknown.data!.logIn).toEqual(wrong.data!.logIn);
    expect(await counts()).toEqual(before);
  });

  it('returns a fresh token that logOut revokes at once, leaving other sessions alone', async () => {
    const first = await signUp(app, 'linus');
    const login = await app.execute(LogIn, { input: { email: ' LINUS@example.org', password: PASSWORD } });
    const second = login.data!.logIn.token!;
    expect(second).not.toBe(first.token);
    expect((await app.execute(LogOut, {}, { token: second })).data).toEqual({ logOut: true });

    expect((await app.execute(Viewer, {}, { token: second })).data!.viewer).toBeNull();
    const refused = await app.execute(LogOut, {}, { token: second });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'The session was ended; log in again.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await app.execute(Viewer, {}, { token: first.token })).data!.viewer?.handle).toBe('linus');
  });

  it('rehashes a password stored with older argon2 parameters on the next login', async () => {
    await signUp(app, 'mira');
    const old = await hash(PASSWORD, { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await app.database.prisma.member.update({ where: { handle: 'mira' }, data: { passwordHash: old } });
    const login = await app.execute(LogIn, { input: { email: 'mira@example.org', password: PASSWORD } });
    expect(login.data!.logIn.errors).toEqual([]);
    const row = await app.database.prisma.member.findUniqueOrThrow({ where: { handle: 'mira' } });
    expect(row.passwordHash).not.toBe(old);
    expect(argon2ParamsOf(row.passwordHash)).toEqual({ variant: 'argon2id', ...ARGON2_PARAMS });
  });
});

describe('session expiry', () => {
  it('ends a session 30 days after login even when it is used every day', async () => {
    const member = await signUp(app, 'daily');
    const start = clock;
    try {
      for (let day = 1; day < 30; day++) {
        clock = start + day * DAY;
        expect((await app.execute(Viewer, {}, { token: member.token })).data!.viewer?.handle).toBe('daily');
      }
      clock = start + 30 * DAY;
      expect((await app.execute(Viewer, {}, { token: member.token })).data!.viewer).toBeNull();
      const refused = await app.execute(UpdateProfile, { input: { bio: 'x' } }, { token: member.token });
      expect(refused.errors?.[0]).toMatchObject({
        message: 'The session has expired; log in again.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    } finally {
      clock = start;
    }
  });

  it('ends a session after 14 idle days', async () => {
    const member = await signUp(app, 'idle');
    const start = clock;
    try {
      clock = start + 13 * DAY;
      expect((await app.execute(Viewer, {}, { token: member.token })).data!.viewer).not.toBeNull();
      clock = start + 27 * DAY;
      expect((await app.execute(Viewer, {}, { token: member.token })).data!.viewer).toBeNull();
    } finally {
      clock = start;
    }
  });

  it('treats a malformed or unknown token as UNAUTHENTICATED where a member is needed, anonymous elsewhere', async () => {
    for (const token of ['garbage', 'tb_doesnotexist']) {
      expect((await app.execute(Viewer, {}, { token })).data!.viewer).toBeNull();
      const refused = await app.execute(UpdateProfile, { input: { bio: 'x' } }, { token });
      expect(refused.errors?.[0]).toMatchObject({
        message: 'The access token is not valid; log in again.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(refused.data).toBeNull();
    }
    const anonymous = await app.execute(UpdateProfile, { input: { bio: 'x' } });
    expect(anonymous.errors?.[0]).toMatchObject({ message: 'Log in to do this.', extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('updateProfile', () => {
  it('changes the given fields, normalises skills and clears with null', async () => {
    const member = await signUp(app, 'tomas');
    const result = await app.execute(
      UpdateProfile,
      { input: { displayName: 'Tomás', bio: 'Good with wood', location: 'Riverside', skills: [' Carpentry ', 'carpentry', 'Joinery', ''] } },
      { token: member.token },
    );
    expect(result.data!.updateProfile).toEqual({
      member: { displayName: 'Tomás', bio: 'Good with wood', location: 'Riverside', skills: ['Carpentry', 'Joinery'] },
      errors: [],
    });
    const cleared = await app.execute(UpdateProfile, { input: { bio: null } }, { token: member.token });
    expect(cleared.data!.updateProfile.member).toEqual({
      displayName: 'Tomás',
      bio: null,
      location: 'Riverside',
      skills: ['Carpentry', 'Joinery'],
    });
  });

  it('refuses too many or too long skills, changing nothing', async () => {
    const member = await signUp(app, 'skills');
    const result = await app.execute(
      UpdateProfile,
      { input: { bio: 'changed', skills: Array.from({ length: 31 }, (_, i) => `skill ${i}`) } },
      { token: member.token },
    );
    expect(result.data!.updateProfile).toEqual({
      member: null,
      errors: [{ code: 'BAD_USER_INPUT', message: 'List at most 30 skills.', field: ['skills'] }],
    });
    expect((await app.execute(Viewer, {}, { token: member.token })).data!.viewer?.bio).toBeNull();
  });
});

async function dbId(handle: string) {
  return (await app.database.prisma.member.findUniqueOrThrow({ where: { handle } })).id;
}
