import { describe, expect, it } from 'vitest';
import type { JoinPolicy, MembershipStatus } from '../../domain.js';
import { decideJoin, decideLeave, isActiveSteward, SLUG_PATTERN } from './rules.js';

describe('decideJoin', () => {
  const cases: [JoinPolicy, MembershipStatus | null, string][] = [
    ['OPEN', null, 'ACTIVE'],
    ['APPROVAL', null, 'PENDING'],
    ['INVITATION', null, 'FORBIDDEN'],
    ['OPEN', 'LEFT', 'ACTIVE'],
    ['APPROVAL', 'LEFT', 'PENDING'],
    ['OPEN', 'ACTIVE', 'CONFLICT'],
    ['APPROVAL', 'PENDING', 'CONFLICT'],
    ['OPEN', 'REMOVED', 'FORBIDDEN'],
  ];
  it.each(cases)('%s network, earlier %s -> %s', (policy, existing, outcome) => {
    const decision = decideJoin(policy, existing);
    expect('refused' in decision ? decision.refused : decision.status).toBe(outcome);
  });
});

describe('decideLeave', () => {
  it('lets members leave and applicants withdraw', () => {
    expect(decideLeave({ status: 'ACTIVE', role: 'MEMBER' }, 1, 5)).toBeNull();
    expect(decideLeave({ status: 'PENDING', role: 'MEMBER' }, 0, 0)).toBeNull();
  });
  it('keeps the last steward until someone else stewards, unless nobody is left', () => {
    expect(decideLeave({ status: 'ACTIVE', role: 'STEWARD' }, 0, 3)?.refused).toBe('CONFLICT');
    expect(decideLeave({ status: 'ACTIVE', role: 'STEWARD' }, 1, 3)).toBeNull();
    expect(decideLeave({ status: 'ACTIVE', role: 'STEWARD' }, 0, 0)).toBeNull();
  });
  it('refuses those who are not members', () => {
    expect(decideLeave({ status: 'LEFT', role: 'MEMBER' }, 1, 1)?.refused).toBe('CONFLICT');
    expect(decideLeave({ status: 'REMOVED', role: 'MEMBER' }, 1, 1)?.refused).toBe('CONFLICT');
  });
});

it('recognises active stewards only', () => {
  expect(isActiveSteward({ status: 'ACTIVE', role: 'STEWARD' })).toBe(true);
  expect(isActiveSteward({ status: 'LEFT', role: 'STEWARD' })).toBe(false);
  expect(isActiveSteward({ status: 'ACTIVE', role: 'MEMBER' })).toBe(false);
  expect(isActiveSteward(null)).toBe(false);
});

it('accepts slugs of lower-case words joined by single hyphens', () => {
  expect(['repair', 'riverside-repair', 'zone-9'].every((s) => SLUG_PATTERN.test(s))).toBe(true);
  expect(['-repair', 'repair-', 'a--b', 'Repair', 'a b'].some((s) => SLUG_PATTERN.test(s))).toBe(false);
});
