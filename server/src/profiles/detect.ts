/**
 * Choosing a profile: front matter (`docplan: rfc`) or a `.docplan.json` pin wins; otherwise every profile
 * scores the doc's signals and the best one above `MIN_PROFILE_SCORE` is chosen. Profiles within
 * `UNSURE_MARGIN` of the best stay candidates, so that rules report only what holds in all of them.
 */
import { ALL_PROFILES, profileById } from './index';
import { MIN_PROFILE_SCORE, type Profile, type ProfileSignals } from './types';

/** Two profiles this close are both plausible. */
export const UNSURE_MARGIN = 1;

/** Profiles that are one family read at two depths: either reading gives the same findings' footing. */
const COMPATIBLE: ReadonlySet<string> = new Set(['seed-plan nested-phases', 'nested-phases seed-plan', 'seed-plan seed-tracker', 'seed-tracker seed-plan']);

/** The outcome of profile detection. */
export interface ProfileChoice {
  profile: Profile | null;
  /** The chosen profile first, then the close runners-up. */
  candidates: Profile[];
  /** Every profile's score, for `docplan check --explain`-style reports and tests. */
  scores: { id: string; score: number }[];
}

/** Scores every profile and picks the best fit, or none when nothing fits well. */
export function chooseProfile(signals: ProfileSignals): ProfileChoice {
  const scores = ALL_PROFILES.map((profile) => ({ profile, score: safeScore(profile, signals) }));
  const ranked = scores.filter((entry) => entry.score >= MIN_PROFILE_SCORE).sort((a, b) => b.score - a.score);
  const listed = scores.map((entry) => ({ id: entry.profile.id, score: entry.score }));
  const best = ranked[0];
  if (!best) return { profile: null, candidates: [], scores: listed };
  const close = ranked.filter((entry) => entry !== best && best.score - entry.score < UNSURE_MARGIN && !COMPATIBLE.has(`${best.profile.id} ${entry.profile.id}`));
  return { profile: best.profile, candidates: [best.profile, ...close.map((entry) => entry.profile)], scores: listed };
}

/** A pinned profile by id (front matter or configuration), or undefined when the id names none. */
export function pinnedProfile(id: unknown): Profile | undefined {
  return typeof id === 'string' ? profileById(id.trim().toLowerCase()) : undefined;
}

function safeScore(profile: Profile, signals: ProfileSignals): number {
  try {
    const score = profile.score(signals);
    return Number.isFinite(score) ? score : 0;
  } catch {
    // A profile that throws on odd input simply does not fit; detection must never fail.
    return 0;
  }
}
