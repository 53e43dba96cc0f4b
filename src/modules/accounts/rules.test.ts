import { describe, expect, it } from 'vitest';
import {
  ARGON2_PARAMS,
  SESSION_ABSOLUTE_TTL_MS,
  SESSION_IDLE_TTL_MS,
  argon2ParamsOf,
  needsRehash,
  normalizeSkills,
  passwordProblem,
  passwordResemblesIdentity,
  sessionExpiry,
  sessionState,
  shouldTouchSession,
} from './rules.js';

describe('passwords', () => {
  it.each([
    ['short', 'Use at least 10 characters.'],
    ['a'.repeat(257), 'Use at most 256 characters.'],
    ['aaaaabbbbbcccc', 'Use more than three different characters.'],
    ['Password123', 'This password is too common.'],
    ['correct horse battery', null],
  ])('%s -> %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('spots passwords built on the handle or email', () => {
    const identity = { email: 'Grace.Hopper@example.org', handle: 'grace_h' };
    expect(passwordResemblesIdentity('grace.hopper1', identity)).toBe(true);
    expect(passwordResemblesIdentity('GRACE_H2024', identity)).toBe(true);
    expect(passwordResemblesIdentity('grace likes long walks by the river', identity)).toBe(false);
  });
});

describe('argon2 parameters', () => {
  const current = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
  it('reads them from a PHC string', () => {
    expect(argon2ParamsOf(current)).toEqual({ variant: 'argon2id', memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(argon2ParamsOf('bcrypt$2b$10$...')).toBeNull();
  });
  it('asks for a rehash when any parameter or the variant differs', () => {
    expect(needsRehash(current, ARGON2_PARAMS)).toBe(false);
    expect(needsRehash(current.replace('t=2', 't=1'))).toBe(true);
    expect(needsRehash(current.replace('m=19456', 'm=65536'))).toBe(true);
    expect(needsRehash(current.replace('argon2id', 'argon2i'))).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
  });
});

describe('sessions', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);
  const session = { createdAt: start, lastUsedAt: start, expiresAt: sessionExpiry(start), revokedAt: null };

  it('are active until the absolute expiry, even when used', () => {
    const used = { ...session, lastUsedAt: at(SESSION_ABSOLUTE_TTL_MS - 1000) };
    expect(sessionState(used, at(SESSION_ABSOLUTE_TTL_MS - 1))).toBe('active');
    expect(sessionState(used, at(SESSION_ABSOLUTE_TTL_MS))).toBe('expired');
  });
  it('expire after the idle time without use', () => {
    expect(sessionState(session, at(SESSION_IDLE_TTL_MS - 1))).toBe('active');
    expect(sessionState(session, at(SESSION_IDLE_TTL_MS))).toBe('expired');
  });
  it('are revoked once revoked, whatever the time', () => {
    expect(sessionState({ ...session, revokedAt: start }, start)).toBe('revoked');
  });
  it('are touched at most every five minutes', () => {
    expect(shouldTouchSession(session, at(4 * 60 * 1000))).toBe(false);
    expect(shouldTouchSession(session, at(5 * 60 * 1000))).toBe(true);
  });
});

it('normalises skills: trimmed, single spaces, no case-insensitive duplicates or blanks', () => {
  expect(normalizeSkills([' Grant  writing ', 'grant writing', '', 'Welding'])).toEqual(['Grant writing', 'Welding']);
});
