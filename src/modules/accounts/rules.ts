/** Pure decisions about accounts: identities, passwords and sessions. */

export const HANDLE_PATTERN = /^[a-z0-9_]{3,30}$/;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const SKILLS_MAX = 30;
export const SKILL_MAX_LENGTH = 50;

/** Sessions end 30 days after log-in, or after 14 days without use, whichever is first. */
export const SESSION_ABSOLUTE_TTL_MS = 30 * 24 * 3600 * 1000;
export const SESSION_IDLE_TTL_MS = 14 * 24 * 3600 * 1000;
/** lastUsedAt is written at most this often, so reads do not turn into writes. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

/** OWASP's minimum for argon2id: 19 MiB, two passes, one lane. */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export type Argon2Params = { memoryCost: number; timeCost: number; parallelism: number };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const normalizeHandle = (handle: string) => handle.trim().toLowerCase();

// A short list of the most used passwords of at least PASSWORD_MIN_LENGTH characters;
// length is the main defence, this only stops the obvious picks.
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '12345678910',
  '123456789a',
  '0987654321',
  '1111111111',
  'qwertyuiop',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'iloveyou12',
  'qwerty1234',
  'qwerty12345',
  'abcdefghij',
  'letmein123',
  'welcome123',
  'administrator',
  'changeme123',
]);

/** Why a password is not acceptable on its own, or null when it is. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) return 'Use more than three different characters.';
  if (COMMON_PASSWORDS.has(lower)) return 'This password is too common.';
  return null;
}

/** True when the password is mostly the member's handle or the name part of their email. */
export function passwordResemblesIdentity(password: string, identity: { email: string; handle: string }): boolean {
  const lower = password.toLowerCase();
  const localPart = normalizeEmail(identity.email).split('@')[0] ?? '';
  const handle = normalizeHandle(identity.handle);
  return [localPart, handle].some((part) => part.length > 0 && lower.includes(part) && part.length >= lower.length / 2);
}

/** Trims, drops empties and case-insensitive duplicates; keeps the first spelling. */
export function normalizeSkills(skills: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of skills) {
    const skill = raw.trim().replace(/\s+/g, ' ');
    const key = skill.toLowerCase();
    if (skill && !seen.has(key)) {
      seen.add(key);
      out.push(skill);
    }
  }
  return out;
}

/** Reads the cost parameters out of an argon2 PHC string ($argon2id$v=19$m=..,t=..,p=..$...). */
export function argon2ParamsOf(hash: string): (Argon2Params & { variant: string }) | null {
  const match = /^\$(argon2(?:id|i|d))\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
  if (!match) return null;
  return { variant: match[1]!, memoryCost: Number(match[2]), timeCost: Number(match[3]), parallelism: Number(match[4]) };
}

/** True when a stored hash was made with other parameters than the current ones. */
export function needsRehash(hash: string, current: Argon2Params = ARGON2_PARAMS): boolean {
  const params = argon2ParamsOf(hash);
  return (
    !params ||
    params.variant !== 'argon2id' ||
    params.memoryCost !== current.memoryCost ||
    params.timeCost !== current.timeCost ||
    params.parallelism !== current.parallelism
  );
}

export type SessionTimes = { createdAt: Date; lastUsedAt: Date; expiresAt: Date; revokedAt: Date | null };
export type SessionState = 'active' | 'expired' | 'revoked';

export function sessionState(session: SessionTimes, now: Date): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now >= session.expiresAt) return 'expired';
  if (now.getTime() - session.lastUsedAt.getTime() >= SESSION_IDLE_TTL_MS) return 'expired';
  return 'active';
}

export const sessionExpiry = (now: Date) => new Date(now.getTime() + SESSION_ABSOLUTE_TTL_MS);

export const shouldTouchSession = (session: Pick<SessionTimes, 'lastUsedAt'>, now: Date) =>
  now.getTime() - session.lastUsedAt.getTime() >= SESSION_TOUCH_INTERVAL_MS;
