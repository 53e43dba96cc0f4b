import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRUST_THRESHOLDS,
  STRONG_TIE_THRESHOLD,
  type TieSignals,
  type TrustSignals,
  baseTieStrength,
  checkInWindow,
  classifyTie,
  decayedStrength,
  isCooling,
  suggestedEngagement,
  thresholdsOf,
  trustChangeReason,
  trustLevel,
  waitlisted,
} from './rules.js';

const none: TieSignals = { meetupsTogether: 0, exchangesAToB: 0, exchangesBToA: 0, vouchAToB: false, vouchBToA: false, introductionsAccepted: 0 };
const tie = (over: Partial<TieSignals>) => baseTieStrength({ ...none, ...over });

describe('tie strength, computed by hand', () => {
  it('is zero without interaction', () => {
    expect(tie({})).toBe(0);
  });

  it('counts one meetup as time only: 0.4 x (1 - e^-0.25) = 0.08848', () => {
    expect(tie({ meetupsTogether: 1 })).toBeCloseTo(0.4 * (1 - Math.exp(-0.25)), 10);
    expect(tie({ meetupsTogether: 1 })).toBeCloseTo(0.08848, 5);
  });

  it('counts an exchange as time and, one way, 0.6 of reciprocal services: 0.08848 + 0.3 x 0.6 x (1 - e^-1/3) = 0.13950', () => {
    expect(tie({ exchangesAToB: 1 })).toBeCloseTo(0.4 * (1 - Math.exp(-1 / 4)) + 0.3 * 0.6 * (1 - Math.exp(-1 / 3)), 10);
    expect(tie({ exchangesAToB: 1 })).toBeCloseTo(0.1395, 4);
  });

  it('weights exchanges up when they flow both ways', () => {
    const oneWay = tie({ exchangesAToB: 2 });
    const bothWays = tie({ exchangesAToB: 1, exchangesBToA: 1 });
    // time: 0.4 x (1 - e^-0.5) = 0.15739; services: 0.3 x (1 - e^-2/3) = 0.14598, x 0.6 one way
    expect(oneWay).toBeCloseTo(0.15739 + 0.6 * 0.14598, 4);
    expect(bothWays).toBeCloseTo(0.15739 + 0.14598, 4);
    expect(bothWays).toBeGreaterThan(oneWay);
  });

  it('adds intensity for vouches either way and accepted introductions, capped at 1', () => {
    expect(tie({ vouchAToB: true })).toBeCloseTo(0.3 * 0.35, 10);
    expect(tie({ vouchAToB: true, vouchBToA: true })).toBeCloseTo(0.3 * 0.7, 10);
    expect(tie({ vouchAToB: true, vouchBToA: true, introductionsAccepted: 1 })).toBeCloseTo(0.3, 10);
    expect(tie({ introductionsAccepted: 1 })).toBeCloseTo(0.09, 10);
  });

  it('approaches 1 for pairs who do everything together, and stays within [0, 1]', () => {
    const max = tie({ meetupsTogether: 100, exchangesAToB: 50, exchangesBToA: 50, vouchAToB: true, vouchBToA: true, introductionsAccepted: 3 });
    expect(max).toBeGreaterThan(0.99);
    expect(max).toBeLessThanOrEqual(1);
  });

  it('halves every 90 days without interaction', () => {
    const last = new Date('2026-01-01T00:00:00Z');
    expect(decayedStrength(0.8, last, last)).toBe(0.8);
    expect(decayedStrength(0.8, last, new Date('2026-04-01T00:00:00Z'))).toBeCloseTo(0.4, 10);
    expect(decayedStrength(0.8, last, new Date('2026-06-30T00:00:00Z'))).toBeCloseTo(0.2, 10);
  });

  it('classifies ties as strong, weak or faded, and strong ones left alone as cooling', () => {
    expect(classifyTie(STRONG_TIE_THRESHOLD)).toBe('STRONG');
    expect(classifyTie(0.2)).toBe('WEAK');
    expect(classifyTie(0.01)).toBe('FADED');
    const last = new Date('2026-01-01T00:00:00Z');
    expect(isCooling(0.6, last, new Date('2026-03-02T00:00:00Z'))).toBe(true);
    expect(isCooling(0.6, last, new Date('2026-02-01T00:00:00Z'))).toBe(false);
    expect(isCooling(0.3, last, new Date('2026-06-01T00:00:00Z'))).toBe(false);
  });
});

describe('trust levels', () => {
  const zero: TrustSignals = {
    meetupsAttended: 0,
    distinctMembersMet: 0,
    confirmedExchangesGiven: 0,
    confirmedExchangesReceived: 0,
    vouchesFromTrusted: 0,
    tenureDays: 0,
  };
  const t = DEFAULT_TRUST_THRESHOLDS;

  it('start at NEW and say what the next level needs', () => {
    expect(trustLevel(zero, t)).toEqual({ level: 0, reason: 'NEW; for KNOWN: meetups attended 0 of 1, members met in person 0 of 1.' });
  });

  it('rise when every minimum of a level and the levels below is met', () => {
    expect(trustLevel({ ...zero, meetupsAttended: 1, distinctMembersMet: 2 }, t).level).toBe(1);
    const trusted = { ...zero, meetupsAttended: 3, distinctMembersMet: 3, confirmedExchangesGiven: 1, confirmedExchangesReceived: 1, vouchesFromTrusted: 1, tenureDays: 30 };
    expect(trustLevel(trusted, t).level).toBe(2);
    expect(trustLevel({ ...trusted, tenureDays: 29 }, t).level).toBe(1);
    const pillar = { meetupsAttended: 8, distinctMembersMet: 8, confirmedExchangesGiven: 5, confirmedExchangesReceived: 2, vouchesFromTrusted: 3, tenureDays: 180 };
    expect(trustLevel(pillar, t)).toEqual({ level: 3, reason: 'Meets every PILLAR threshold.' });
  });

  it('never skip a level whose minimums are not met', () => {
    const lopsided = { ...zero, confirmedExchangesGiven: 50, vouchesFromTrusted: 10, tenureDays: 1000 };
    expect(trustLevel(lopsided, t).level).toBe(0);
  });

  it('use the network\'s own thresholds where set', () => {
    const strict = thresholdsOf({ 1: { meetupsAttended: 2 } });
    expect(strict[1]).toEqual({ ...DEFAULT_TRUST_THRESHOLDS[1], meetupsAttended: 2 });
    expect(strict[2]).toEqual(DEFAULT_TRUST_THRESHOLDS[2]);
    expect(trustLevel({ ...zero, meetupsAttended: 1, distinctMembersMet: 1 }, strict).level).toBe(0);
  });

  it('explain promotions and demotions', () => {
    const known = { ...zero, meetupsAttended: 1, distinctMembersMet: 2 };
    expect(trustChangeReason(0, 1, known, t)).toBe('Reached KNOWN: meetups attended 1 (needs 1), members met in person 2 (needs 1).');
    const trusted = { ...zero, meetupsAttended: 3, distinctMembersMet: 3, confirmedExchangesGiven: 1, confirmedExchangesReceived: 1, vouchesFromTrusted: 0, tenureDays: 40 };
    expect(trustChangeReason(2, 1, trusted, t)).toBe('No longer TRUSTED: vouches from trusted members 0 below 1.');
  });
});

describe('suggested engagement', () => {
  const quiet = { rsvps: 0, votes: 0, listings: 0, vouchesGiven: 0, endorsementsGiven: 0, exchangesCompleted: 0, meetupsOrganized: 0, adoptedProposals: 0 };
  it('climbs the pyramid with behaviour', () => {
    expect(suggestedEngagement(quiet).level).toBe('OBSERVING');
    expect(suggestedEngagement({ ...quiet, rsvps: 1 }).level).toBe('FOLLOWING');
    expect(suggestedEngagement({ ...quiet, votes: 2, endorsementsGiven: 1 }).level).toBe('ENDORSING');
    expect(suggestedEngagement({ ...quiet, vouchesGiven: 1, exchangesCompleted: 1 }).level).toBe('CONTRIBUTING');
    expect(suggestedEngagement({ ...quiet, exchangesCompleted: 3, meetupsOrganized: 1 }).level).toBe('OWNING');
    expect(suggestedEngagement({ ...quiet, adoptedProposals: 1 })).toEqual({
      level: 'OWNING',
      reason: 'Organised 0 meetup(s), authored 1 adopted proposal(s).',
    });
  });
});

describe('meetups', () => {
  const meetup = { startsAt: new Date('2026-05-01T18:00:00Z'), endsAt: new Date('2026-05-01T20:00:00Z') };
  it('open check-in half an hour before the start until an hour after the end', () => {
    expect(checkInWindow(meetup, new Date('2026-05-01T17:29:00Z'))).toBe('EARLY');
    expect(checkInWindow(meetup, new Date('2026-05-01T17:30:00Z'))).toBe('OPEN');
    expect(checkInWindow(meetup, new Date('2026-05-01T21:00:00Z'))).toBe('OPEN');
    expect(checkInWindow(meetup, new Date('2026-05-01T21:00:01Z'))).toBe('CLOSED');
  });
  it('put GOING beyond capacity on the waitlist', () => {
    expect(waitlisted(null, 500)).toBe(false);
    expect(waitlisted(3, 2)).toBe(false);
    expect(waitlisted(3, 3)).toBe(true);
  });
});
