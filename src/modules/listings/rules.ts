/** Pure decisions about asks and offers: tags, lifecycle and matching. */
import type { ContributionKind, ListingStatus } from '../../domain.js';

export const TAGS_MAX = 10;
export const TAG_MAX_LENGTH = 32;

/** Trimmed, lower-case, inner spaces collapsed, empties and duplicates dropped. */
export function normalizeTags(tags: string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** Listings that can still be linked to a new exchange. */
export const isLinkable = (status: ListingStatus) => status === 'OPEN' || status === 'MATCHED';

/** A listing's status once an exchange links to it, completes, or falls through. */
export function listingStatusAfter(
  status: ListingStatus,
  event: 'linked' | 'completed' | 'fell_through',
  otherLiveExchanges = 0,
): ListingStatus {
  switch (event) {
    case 'linked':
      return status === 'OPEN' ? 'MATCHED' : status;
    case 'completed':
      return isLinkable(status) ? 'FULFILLED' : status;
    case 'fell_through':
      return status === 'MATCHED' && otherLiveExchanges === 0 ? 'OPEN' : status;
  }
}

// ---------------------------------------------------------------------------------
// Matching

/**
 * How much each signal counts in a match score (they add up to 1):
 * - kind: the listing is of the same contribution kind;
 * - tags: overlap of the two listings' tags (Jaccard: shared / all distinct);
 * - skills: the other member lists skills the listing names (as a tag or in its text),
 *   two or more count fully;
 * - activity: how recently the other member was active in the network, halving every
 *   ACTIVITY_HALF_LIFE_DAYS;
 * - tie: closeness in the network's tie graph, supplied by the trust module (0 without).
 */
export const MATCH_WEIGHTS = { kind: 0.3, tags: 0.3, skills: 0.15, activity: 0.1, tie: 0.15 } as const;
export const ACTIVITY_HALF_LIFE_DAYS = 14;
export const SKILL_HITS_FOR_FULL_SCORE = 2;
const DAY_MS = 24 * 3600 * 1000;

export type MatchableListing = { kind: ContributionKind; tags: string[]; title: string; description: string | null };
export type MatchCandidate = MatchableListing & {
  author: { displayName: string; skills: string[]; lastActiveAt: Date | null };
};
/** What the tie graph says about the candidate's author, seen from the listing's author. */
export type TieSignal = { closeness: number; reason: string };
/** `relevant`: the candidate is suggested only for what it offers (kind, tags or skills),
 * never merely for being active or close. */
export type MatchScore = { score: number; reasons: string[]; relevant: boolean };

const round = (n: number) => Math.round(n * 1000) / 1000;

export function matchScore(target: MatchableListing, candidate: MatchCandidate, now: Date, tie: TieSignal | null = null): MatchScore {
  const reasons: string[] = [];
  const sameKind = target.kind === candidate.kind ? 1 : 0;
  if (sameKind) reasons.push(`Same kind of contribution: ${candidate.kind.toLowerCase()}`);

  const shared = target.tags.filter((t) => candidate.tags.includes(t));
  const union = new Set([...target.tags, ...candidate.tags]).size;
  const tags = union ? shared.length / union : 0;
  if (shared.length) reasons.push(`Shared tags: ${shared.join(', ')}`);

  const text = `${target.title} ${target.description ?? ''}`.toLowerCase();
  const hits = candidate.author.skills.filter((skill) => {
    const s = skill.toLowerCase();
    return target.tags.includes(s) || text.includes(s);
  });
  const skills = Math.min(1, hits.length / SKILL_HITS_FOR_FULL_SCORE);
  if (hits.length) reasons.push(`${candidate.author.displayName} lists the skill${hits.length > 1 ? 's' : ''} ${hits.join(', ')}`);

  let activity = 0;
  if (candidate.author.lastActiveAt) {
    const days = Math.max(0, (now.getTime() - candidate.author.lastActiveAt.getTime()) / DAY_MS);
    activity = 0.5 ** (days / ACTIVITY_HALF_LIFE_DAYS);
    if (days < 7) reasons.push(`${candidate.author.displayName} was active ${days < 1 ? 'today' : `${Math.floor(days)} day${days < 2 ? '' : 's'} ago`}`);
  }

  const closeness = tie ? Math.min(1, Math.max(0, tie.closeness)) : 0;
  if (tie && closeness > 0) reasons.push(tie.reason);

  const w = MATCH_WEIGHTS;
  return {
    score: round(w.kind * sameKind + w.tags * tags + w.skills * skills + w.activity * activity + w.tie * closeness),
    reasons,
    relevant: sameKind > 0 || shared.length > 0 || hits.length > 0,
  };
}
