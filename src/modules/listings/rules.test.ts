import { describe, expect, it } from 'vitest';
import { type MatchCandidate, listingStatusAfter, matchScore, MATCH_WEIGHTS, normalizeTags } from './rules.js';

it('normalises tags', () => {
  expect(normalizeTags(['  Bikes ', 'bikes', 'Bike  Repair', '', 'TOOLS'])).toEqual(['bikes', 'bike repair', 'tools']);
});

describe('listing status', () => {
  it('is matched by a first exchange, fulfilled by a completed one', () => {
    expect(listingStatusAfter('OPEN', 'linked')).toBe('MATCHED');
    expect(listingStatusAfter('MATCHED', 'linked')).toBe('MATCHED');
    expect(listingStatusAfter('MATCHED', 'completed')).toBe('FULFILLED');
    expect(listingStatusAfter('OPEN', 'completed')).toBe('FULFILLED');
  });
  it('opens again when its only exchange falls through', () => {
    expect(listingStatusAfter('MATCHED', 'fell_through', 0)).toBe('OPEN');
    expect(listingStatusAfter('MATCHED', 'fell_through', 1)).toBe('MATCHED');
    expect(listingStatusAfter('CLOSED', 'fell_through', 0)).toBe('CLOSED');
  });
});

describe('matchScore', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  const ask = { kind: 'SKILLS' as const, tags: ['bikes', 'repair'], title: 'Fix my bicycle brakes', description: null };
  const candidate = (over: Partial<MatchCandidate> = {}): MatchCandidate => ({
    kind: 'SKILLS',
    tags: ['bikes', 'wheels'],
    title: 'I fix bikes',
    description: null,
    author: { displayName: 'Linus', skills: [], lastActiveAt: null },
    ...over,
  });

  it('adds the weighted signals, computed by hand', () => {
    // kind 1, tags 1/3 (bikes of bikes, repair, wheels), no skills, no activity, no tie
    expect(matchScore(ask, candidate(), now)).toEqual({
      score: Math.round((MATCH_WEIGHTS.kind + MATCH_WEIGHTS.tags / 3) * 1000) / 1000,
      reasons: ['Same kind of contribution: skills', 'Shared tags: bikes'],
      relevant: true,
    });
  });

  it('counts skills named by the listing, two for full weight, and recent activity halving every 14 days', () => {
    const active = candidate({
      author: { displayName: 'Linus', skills: ['Brakes', 'Welding'], lastActiveAt: new Date(now.getTime() - 14 * 86400_000) },
    });
    const result = matchScore(ask, active, now);
    // skills: 'brakes' appears in the title (1 of 2 hits needed); activity: one half-life ago
    const expected = MATCH_WEIGHTS.kind + MATCH_WEIGHTS.tags / 3 + MATCH_WEIGHTS.skills * 0.5 + MATCH_WEIGHTS.activity * 0.5;
    expect(result.score).toBe(Math.round(expected * 1000) / 1000);
    expect(result.reasons).toContain('Linus lists the skill Brakes');
    expect(result.reasons.some((r) => r.includes('active'))).toBe(false);
  });

  it('takes tie closeness through the seam the trust module fills', () => {
    const tie = { closeness: 1, reason: 'Two steps away through a strong tie' };
    const withTie = matchScore(ask, candidate(), now, tie);
    expect(withTie.score - matchScore(ask, candidate(), now).score).toBeCloseTo(MATCH_WEIGHTS.tie);
    expect(withTie.reasons).toContain('Two steps away through a strong tie');
  });

  it('does not suggest a listing for activity alone', () => {
    const unrelated = candidate({
      kind: 'RESOURCES',
      tags: ['soup'],
      title: 'Soup',
      author: { displayName: 'Mira', skills: [], lastActiveAt: now },
    });
    const result = matchScore(ask, unrelated, now);
    expect(result.relevant).toBe(false);
    expect(result.reasons).toEqual(['Mira was active today']);
  });

  it('keeps weights summing to one', () => {
    expect(Object.values(MATCH_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
});
