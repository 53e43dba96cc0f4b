import { createHash, randomBytes } from 'node:crypto';
import type { ServiceDeps } from '../../deps.js';
import { uniqueViolationFields } from '../../db/errors.js';
import { type Problem, DomainError, unauthenticated } from '../../errors.js';
import { type Tx, inTransaction } from '../../events/unit-of-work.js';
import type { ChangePasswordInput, LogInInput, SignUpInput, UpdateProfileInput } from './inputs.js';
import type { PasswordHasher } from './passwords.js';
import { needsRehash, passwordResemblesIdentity, sessionExpiry, sessionState, shouldTouchSession } from './rules.js';

/** Who is acting: a member, through one of their sessions (null for the system's own
 * actions on a member's behalf, such as loading demo data). */
export type Viewer = {
  memberId: string;
  sessionId: string | null;
  /** When the session ends at the latest (its absolute expiry). */
  expiresAt?: Date;
};

export type Authentication =
  | { viewer: Viewer; failure: null }
  | { viewer: null; failure: 'invalid' | 'expired' | 'revoked' };

const TOKEN_PREFIX = 'tb_';

/** 256 random bits, recognisable by secret scanners through the prefix. */
const newToken = () => TOKEN_PREFIX + randomBytes(32).toString('base64url');
const tokenHash = (token: string) => createHash('sha256').update(token).digest();

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: ServiceDeps, hasher: PasswordHasher) {
  const { db } = deps;

  async function startSession(tx: Tx, memberId: string): Promise<string> {
    const token = newToken();
    const now = deps.now();
    await tx.session.create({
      data: { memberId, tokenHash: tokenHash(token), createdAt: now, lastUsedAt: now, expiresAt: sessionExpiry(now) },
    });
    return token;
  }

  async function takenIdentity(input: { email: string; handle: string }): Promise<Problem[]> {
    const taken = await db.member.findMany({
      where: { OR: [{ email: input.email }, { handle: input.handle }] },
      select: { email: true, handle: true },
    });
    const problems: Problem[] = [];
    if (taken.some((m) => m.email === input.email)) {
      problems.push({ code: 'CONFLICT', message: 'An account with this email already exists.', field: ['email'] });
    }
    if (taken.some((m) => m.handle === input.handle)) {
      problems.push({ code: 'CONFLICT', message: 'This handle is taken.', field: ['handle'] });
    }
    return problems;
  }

  return {
    async signUp(input: SignUpInput) {
      const problems = await takenIdentity(input);
      if (problems.length) throw new DomainError(problems);
      const passwordHash = await hasher.hash(input.password);
      try {
        return await inTransaction(deps, async (tx, record) => {
          const member = await tx.member.create({
            data: { email: input.email, handle: input.handle, displayName: input.displayName, passwordHash },
          });
          const token = await startSession(tx, member.id);
          await record({ type: 'member.signed_up', actorId: member.id, subjectId: member.id });
          return { member, token };
        });
      } catch (error) {
        // Someone took the email or handle between the check and the insert.
        if (uniqueViolationFields(error)) throw new DomainError(await takenIdentity(input));
        throw error;
      }
    },

    async logIn(input: LogInInput) {
      const member = await db.member.findUnique({ where: { email: input.email } });
      const valid = member
        ? await hasher.verify(member.passwordHash, input.password)
        : await hasher.verify(await hasher.decoy(), input.password).then(() => false);
      if (!member || !valid) throw unauthenticated('Email or password is incorrect.');
      const rehashed = needsRehash(member.passwordHash, hasher.params) ? await hasher.hash(input.password) : null;
      return inTransaction(deps, async (tx, record) => {
        if (rehashed) await tx.member.update({ where: { id: member.id }, data: { passwordHash: rehashed } });
        const token = await startSession(tx, member.id);
        await record({ type: 'member.logged_in', actorId: member.id, subjectId: member.id });
        return { member, token };
      });
    },

    async logOut(viewer: Viewer): Promise<void> {
      const { sessionId } = viewer;
      if (!sessionId) return;
      await inTransaction(deps, async (tx, record) => {
        await tx.session.updateMany({
          where: { id: sessionId, revokedAt: null },
          data: { revokedAt: deps.now() },
        });
        await record({ type: 'member.logged_out', actorId: viewer.memberId, subjectId: viewer.memberId });
      });
      deps.events.revoke({ sessionIds: [sessionId] });
    },

    /** A new password ends every other session of the member at once. */
    async changePassword(viewer: Viewer, input: ChangePasswordInput) {
      const member = await db.member.findUniqueOrThrow({ where: { id: viewer.memberId } });
      if (!(await hasher.verify(member.passwordHash, input.currentPassword))) {
        throw new DomainError({ code: 'BAD_USER_INPUT', message: 'The password is not right.', field: ['currentPassword'] });
      }
      if (passwordResemblesIdentity(input.newPassword, member)) {
        throw new DomainError({ code: 'BAD_USER_INPUT', message: 'Do not base the password on your email or handle.', field: ['newPassword'] });
      }
      const passwordHash = await hasher.hash(input.newPassword);
      await inTransaction(deps, async (tx, record) => {
        await tx.member.update({ where: { id: member.id }, data: { passwordHash } });
        await tx.session.updateMany({
          where: { memberId: member.id, revokedAt: null, ...(viewer.sessionId && { id: { not: viewer.sessionId } }) },
          data: { revokedAt: deps.now() },
        });
        await record({ type: 'member.password_changed', actorId: member.id, subjectId: member.id });
      });
      deps.events.revoke({ memberId: member.id, exceptSessionId: viewer.sessionId ?? undefined });
      return member;
    },

    /** Resolves a bearer token to its viewer; never throws for a bad token. */
    async authenticate(token: string): Promise<Authentication> {
      if (!token.startsWith(TOKEN_PREFIX)) return { viewer: null, failure: 'invalid' };
      const session = await db.session.findUnique({ where: { tokenHash: tokenHash(token) } });
      if (!session) return { viewer: null, failure: 'invalid' };
      const now = deps.now();
      const state = sessionState(session, now);
      if (state !== 'active') return { viewer: null, failure: state };
      if (shouldTouchSession(session, now)) {
        await db.session.update({ where: { id: session.id }, data: { lastUsedAt: now } });
      }
      return { viewer: { memberId: session.memberId, sessionId: session.id, expiresAt: session.expiresAt }, failure: null };
    },

    /** Whether the password is the member's (for confirming grave actions). */
    async verifyPassword(memberId: string, password: string) {
      const member = await db.member.findUniqueOrThrow({ where: { id: memberId } });
      return hasher.verify(member.passwordHash, password);
    },

    /** Members by id, in handle order (callers have already decided the viewer may see them),
     * with what `query` (a Prisma select or include) reads of them. */
    findMembers: (ids: string[], query: object = {}) => db.member.findMany({ ...query, where: { id: { in: ids } }, orderBy: { handle: 'asc' } }),

    /** One member, with what `query` reads of it; concurrent calls in one tick with the same
     * query are batched into one statement by Prisma. */
    findMember: (id: string, query: object = {}) => db.member.findUniqueOrThrow({ ...query, where: { id } }),

    async updateProfile(viewer: Viewer, input: UpdateProfileInput) {
      const data = {
        ...(input.displayName != null && { displayName: input.displayName }),
        ...(input.bio !== undefined && { bio: input.bio }),
        ...(input.location !== undefined && { location: input.location }),
        ...(input.skills != null && { skills: input.skills }),
        ...(input.showEmail != null && { showEmail: input.showEmail }),
        ...(input.showLocation != null && { showLocation: input.showLocation }),
        ...(input.showBio != null && { showBio: input.showBio }),
        ...(input.shareWithIntegrations != null && { shareWithIntegrations: input.shareWithIntegrations }),
      };
      return inTransaction(deps, async (tx, record) => {
        const member = await tx.member.update({ where: { id: viewer.memberId }, data });
        await record({
          type: 'member.profile_updated',
          actorId: viewer.memberId,
          subjectId: viewer.memberId,
          data: { fields: Object.keys(data) },
        });
        return member;
      });
    },
  };
}
