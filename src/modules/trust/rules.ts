/** Pure decisions about trust: tie strength, trust levels and the engagement pyramid. */
import type { EngagementLevel } from '../../domain.js';

const DAY_MS = 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------
// Tie strength

/**
 * Tie strength in [0, 1] after Granovetter's four dimensions:
 *
 *   time        = 1 - e^(-(meetups + exchanges) / TIME_SCALE)          how much they did together
 *   intensity   = min(1, VOUCH_INTENSITY x vouches + INTRODUCTION_INTENSITY x introductions)
 *                 emotional intensity and intimacy: vouches either way (0, 1 or 2),
 *                 introductions both accepted
 *   reciprocity = (1 - e^(-exchanges / SERVICE_SCALE)) x (1 if exchanges flowed both ways,
 *                 else ONE_WAY_FACTOR)                                 reciprocal services
 *   base        = TIME_WEIGHT x time + INTENSITY_WEIGHT x intensity + RECIPROCITY_WEIGHT x reciprocity
 *   strength    = base x 0.5^(days since the last interaction / HALF_LIFE_DAYS)
 *
 * Frequency saturates (the tenth meetup adds less than the first), exchanges count twice
 * (as time spent and as services), and a tie nobody tends halves every HALF_LIFE_DAYS.
 */
export const TIE = {
  TIME_WEIGHT: 0.4,
  INTENSITY_WEIGHT: 0.3,
  RECIPROCITY_WEIGHT: 0.3,
  TIME_SCALE: 4,
  SERVICE_SCALE: 3,
  VOUCH_INTENSITY: 0.35,
  INTRODUCTION_INTENSITY: 0.3,
  ONE_WAY_FACTOR: 0.6,
  HALF_LIFE_DAYS: 90,
} as const;

/** At or above: a strong tie. Below it (and above nothing): a weak tie. */
export const STRONG_TIE_THRESHOLD = 0.5;
/** Below this a tie has faded to nothing worth showing. */
export const WEAK_TIE_THRESHOLD = 0.05;
/** A strong tie with no interaction for this long is cooling (portfolio default). */
export const COOLING_AFTER_DAYS = 60;

export type TieSignals = {
  meetupsTogether: number;
  exchangesAToB: number;
  exchangesBToA: number;
  vouchAToB: boolean;
  vouchBToA: boolean;
  introductionsAccepted: number;
};

/** Strength before decay: what the tie was worth at its last interaction. */
export function baseTieStrength(s: TieSignals): number {
  const exchanges = s.exchangesAToB + s.exchangesBToA;
  const time = 1 - Math.exp(-(s.meetupsTogether + exchanges) / TIE.TIME_SCALE);
  const vouches = Number(s.vouchAToB) + Number(s.vouchBToA);
  const intensity = Math.min(1, TIE.VOUCH_INTENSITY * vouches + TIE.INTRODUCTION_INTENSITY * s.introductionsAccepted);
  const bothWays = s.exchangesAToB > 0 && s.exchangesBToA > 0;
  const reciprocity = (1 - Math.exp(-exchanges / TIE.SERVICE_SCALE)) * (bothWays ? 1 : TIE.ONE_WAY_FACTOR);
  return TIE.TIME_WEIGHT * time + TIE.INTENSITY_WEIGHT * intensity + TIE.RECIPROCITY_WEIGHT * reciprocity;
}

/** The strength now, decayed since the last interaction. */
export function decayedStrength(base: number, lastInteractionAt: Date, now: Date): number {
  const days = Math.max(0, (now.getTime() - lastInteractionAt.getTime()) / DAY_MS);
  return base * 0.5 ** (days / TIE.HALF_LIFE_DAYS);
}

export type TieClass = 'STRONG' | 'WEAK' | 'FADED';
export const classifyTie = (strength: number): TieClass =>
  strength >= STRONG_TIE_THRESHOLD ? 'STRONG' : strength >= WEAK_TIE_THRESHOLD ? 'WEAK' : 'FADED';

/** Strong (before decay) but untouched for `coolingAfterDays`. */
export const isCooling = (base: number, lastInteractionAt: Date, now: Date, coolingAfterDays = COOLING_AFTER_DAYS) =>
  base >= STRONG_TIE_THRESHOLD && now.getTime() - lastInteractionAt.getTime() >= coolingAfterDays * DAY_MS;

/** Ties are stored once per pair, smaller id first. */
export const orderedPair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

// ---------------------------------------------------------------------------------
// Trust levels

export const TRUST_LEVEL_NAMES = ['NEW', 'KNOWN', 'TRUSTED', 'PILLAR'] as const;

export type TrustSignals = {
  meetupsAttended: number;
  distinctMembersMet: number;
  confirmedExchangesGiven: number;
  confirmedExchangesReceived: number;
  /** Active vouches from members at level 2 or above (or stewards) of the network. */
  vouchesFromTrusted: number;
  tenureDays: number;
};

export type Thresholds = TrustSignals;
/** Minimums for levels 1, 2 and 3; level 0 needs nothing. */
export type TrustThresholds = { 1: Thresholds; 2: Thresholds; 3: Thresholds };

export const DEFAULT_TRUST_THRESHOLDS: TrustThresholds = {
  1: { meetupsAttended: 1, distinctMembersMet: 1, confirmedExchangesGiven: 0, confirmedExchangesReceived: 0, vouchesFromTrusted: 0, tenureDays: 0 },
  2: { meetupsAttended: 3, distinctMembersMet: 3, confirmedExchangesGiven: 1, confirmedExchangesReceived: 1, vouchesFromTrusted: 1, tenureDays: 30 },
  3: { meetupsAttended: 8, distinctMembersMet: 8, confirmedExchangesGiven: 5, confirmedExchangesReceived: 2, vouchesFromTrusted: 3, tenureDays: 180 },
};

const SIGNAL_WORDS: Record<keyof TrustSignals, string> = {
  meetupsAttended: 'meetups attended',
  distinctMembersMet: 'members met in person',
  confirmedExchangesGiven: 'confirmed exchanges given',
  confirmedExchangesReceived: 'confirmed exchanges received',
  vouchesFromTrusted: 'vouches from trusted members',
  tenureDays: 'days in the network',
};

/** The network's thresholds, with defaults for whatever it has not set. */
export function thresholdsOf(stored: unknown): TrustThresholds {
  const given = (stored ?? {}) as Partial<Record<'1' | '2' | '3', Partial<Thresholds>>>;
  return {
    1: { ...DEFAULT_TRUST_THRESHOLDS[1], ...given['1'] },
    2: { ...DEFAULT_TRUST_THRESHOLDS[2], ...given['2'] },
    3: { ...DEFAULT_TRUST_THRESHOLDS[3], ...given['3'] },
  };
}

const shortfalls = (signals: TrustSignals, minimum: Thresholds) =>
  (Object.keys(minimum) as (keyof TrustSignals)[]).filter((k) => signals[k] < minimum[k]);

/** The highest level whose minimums (and those of every level below) are all met, with
 * the reason for that level or for not reaching the next. */
export function trustLevel(signals: TrustSignals, thresholds: TrustThresholds): { level: number; reason: string } {
  let level = 0;
  for (const next of [1, 2, 3] as const) {
    if (shortfalls(signals, thresholds[next]).length) break;
    level = next;
  }
  if (level === 3) return { level, reason: `Meets every ${TRUST_LEVEL_NAMES[3]} threshold.` };
  const next = (level + 1) as 1 | 2 | 3;
  const missing = shortfalls(signals, thresholds[next])
    .map((k) => `${SIGNAL_WORDS[k]} ${signals[k]} of ${thresholds[next][k]}`)
    .join(', ');
  return { level, reason: `${TRUST_LEVEL_NAMES[level]}; for ${TRUST_LEVEL_NAMES[next]}: ${missing}.` };
}

/** Why a level changed, in words, for the membership's history. */
export function trustChangeReason(from: number, to: number, signals: TrustSignals, thresholds: TrustThresholds): string {
  if (to > from) {
    const met = thresholds[to as 1 | 2 | 3];
    const shown = (Object.keys(met) as (keyof TrustSignals)[]).filter((k) => met[k] > 0);
    return `Reached ${TRUST_LEVEL_NAMES[to]}: ${shown.map((k) => `${SIGNAL_WORDS[k]} ${signals[k]} (needs ${met[k]})`).join(', ')}.`;
  }
  const lost = shortfalls(signals, thresholds[from as 1 | 2 | 3]);
  return `No longer ${TRUST_LEVEL_NAMES[from]}: ${lost.map((k) => `${SIGNAL_WORDS[k]} ${signals[k]} below ${thresholds[from as 1 | 2 | 3][k]}`).join(', ')}.`;
}

// ---------------------------------------------------------------------------------
// Engagement pyramid

export type EngagementSignals = {
  rsvps: number;
  votes: number;
  listings: number;
  vouchesGiven: number;
  endorsementsGiven: number;
  exchangesCompleted: number;
  meetupsOrganized: number;
  adoptedProposals: number;
};

const ENGAGEMENT_ORDER: EngagementLevel[] = ['OBSERVING', 'FOLLOWING', 'ENDORSING', 'CONTRIBUTING', 'OWNING', 'LEADING'];
export const engagementRank = (level: EngagementLevel) => ENGAGEMENT_ORDER.indexOf(level);

/**
 * The level behaviour suggests (never LEADING, which stewards give):
 * OWNING: organised a meetup or authored an adopted proposal;
 * CONTRIBUTING: completed an exchange;
 * ENDORSING: vouched for someone or endorsed a skill;
 * FOLLOWING: answered a meetup, voted or posted an ask or offer;
 * OBSERVING otherwise.
 */
export function suggestedEngagement(s: EngagementSignals): { level: EngagementLevel; reason: string } {
  if (s.meetupsOrganized > 0 || s.adoptedProposals > 0) {
    return { level: 'OWNING', reason: `Organised ${s.meetupsOrganized} meetup(s), authored ${s.adoptedProposals} adopted proposal(s).` };
  }
  if (s.exchangesCompleted > 0) return { level: 'CONTRIBUTING', reason: `Completed ${s.exchangesCompleted} exchange(s).` };
  if (s.vouchesGiven > 0 || s.endorsementsGiven > 0) {
    return { level: 'ENDORSING', reason: `Vouched ${s.vouchesGiven} time(s), endorsed ${s.endorsementsGiven} skill(s).` };
  }
  if (s.rsvps > 0 || s.votes > 0 || s.listings > 0) {
    return { level: 'FOLLOWING', reason: `Answered ${s.rsvps} meetup(s), voted ${s.votes} time(s), posted ${s.listings} listing(s).` };
  }
  return { level: 'OBSERVING', reason: 'No activity yet.' };
}

// ---------------------------------------------------------------------------------
// Meetups

/** Check-in opens this long before the start and stays open this long after the end. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60 * 1000;
export const CHECK_IN_CLOSES_AFTER_MS = 60 * 60 * 1000;
/** Wrong codes one member may try for one meetup per window before being refused. */
export const CHECK_IN_MAX_FAILURES = 5;
export const CHECK_IN_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Attendance codes: unambiguous letters and digits (no 0/O, 1/I/L). */
export const ATTENDANCE_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ATTENDANCE_CODE_LENGTH = 6;

export function checkInWindow(meetup: { startsAt: Date; endsAt: Date }, now: Date): 'EARLY' | 'OPEN' | 'CLOSED' {
  if (now.getTime() < meetup.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS) return 'EARLY';
  if (now.getTime() > meetup.endsAt.getTime() + CHECK_IN_CLOSES_AFTER_MS) return 'CLOSED';
  return 'OPEN';
}

/** GOING beyond capacity goes on the waitlist; the first waiting moves up when a place frees. */
export const waitlisted = (capacity: number | null, goingConfirmed: number) => capacity !== null && goingConfirmed >= capacity;
