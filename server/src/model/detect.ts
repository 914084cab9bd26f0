/**
 * Kind and profile detection (spec section 2): front matter wins (`docplan: plan`, `docplan: rfc`, `docplan:
 * off`), then `.docplan.json` (exclude, a profile pinned per glob, include), then content: the profile whose
 * signals fit best. Ordinary Markdown comes out with no profile and no kind, so that it gets no diagnostics.
 */
import picomatch from 'picomatch';
import { chooseProfile, pinnedProfile } from '../profiles/detect';
import { profileById } from '../profiles/index';
import { seedKindFromContent } from '../profiles/seedShapes';
import type { Profile, ProfileSignals } from '../profiles/types';
import type { DocKind, KindSource } from './types';

/** Paths and globs for detection. */
export interface DetectionOptions {
  path: string | null;
  include: string[];
  exclude: string[];
  /** Globs pinned to a profile id (`{ "docs/rfcs/**": "rfc" }`), first match wins. */
  profiles?: Record<string, string>;
}

/** The detected kind and profile, where they came from, and whether the doc switched DocPlan off. */
export interface Detection {
  kind: DocKind | null;
  source: KindSource | null;
  disabled: boolean;
  profile: Profile | null;
  candidates: Profile[];
}

const KIND_PROFILES: Record<DocKind, string> = { design: 'seed-design', plan: 'seed-plan', tracker: 'seed-tracker' };

const matcherCache = new Map<string, (path: string) => boolean>();

function matches(globs: string[], path: string): boolean {
  return globs.some((glob) => matcher(glob)(path));
}

function matcher(glob: string): (path: string) => boolean {
  let found = matcherCache.get(glob);
  if (!found) {
    found = picomatch(glob, { dot: true });
    matcherCache.set(glob, found);
  }
  return found;
}

function pinned(profile: Profile, signals: ProfileSignals, source: KindSource): Detection {
  return { kind: profile.kind(signals), source, disabled: false, profile, candidates: [profile] };
}

/** Detects the profile and kind of a document. */
export function detectProfile(signals: ProfileSignals, options: DetectionOptions): Detection {
  const declared = signals.frontMatter?.data?.docplan;
  if (typeof declared === 'string') {
    const value = declared.trim().toLowerCase();
    if (value === 'off' || value === 'false' || value === 'none') return off('front-matter');
    const byKind = value in KIND_PROFILES ? profileById(KIND_PROFILES[value as DocKind]) : undefined;
    const profile = byKind ?? pinnedProfile(value);
    if (profile) return pinned(profile, signals, 'front-matter');
  } else if (declared === false) {
    return off('front-matter');
  }
  if (options.path !== null) {
    if (matches(options.exclude, options.path)) return off('config');
    for (const [glob, id] of Object.entries(options.profiles ?? {})) {
      const profile = pinnedProfile(id);
      if (profile && matcher(glob)(options.path)) return pinned(profile, signals, 'config');
    }
  }
  const choice = chooseProfile(signals);
  if (choice.profile) return { kind: choice.profile.kind(signals), source: 'content', disabled: false, profile: choice.profile, candidates: choice.candidates };
  if (options.path !== null && matches(options.include, options.path)) {
    const leaning = profileById(KIND_PROFILES[seedKindFromContent(signals).leaning])!;
    return { kind: leaning.kind(signals), source: 'config', disabled: false, profile: leaning, candidates: [leaning] };
  }
  return { kind: null, source: null, disabled: false, profile: null, candidates: [] };
}

function off(source: KindSource): Detection {
  return { kind: null, source, disabled: true, profile: null, candidates: [] };
}
