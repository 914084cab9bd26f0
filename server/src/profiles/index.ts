/** The profile registry: every document family DocPlan reads, in the order ties are broken. */
import type { Profile, ProfileId } from './types';
import { seedDesign } from './seedDesign';
import { seedPlan } from './seedPlan';
import { seedTracker } from './seedTracker';
import { nestedPhases } from './nestedPhases';
import { agentTaskPlan } from './agentTaskPlan';
import { agentPlanMode } from './agentPlanMode';
import { specTasks } from './specTasks';
import { requirementsTriple } from './requirementsTriple';
import { changeProposal } from './changeProposal';
import { editorPlan } from './editorPlan';
import { enhancementProposal } from './enhancementProposal';
import { rfc } from './rfc';
import { designNote } from './designNote';

export const ALL_PROFILES: readonly Profile[] = [
  editorPlan,
  requirementsTriple,
  changeProposal,
  specTasks,
  enhancementProposal,
  rfc,
  agentTaskPlan,
  nestedPhases,
  seedPlan,
  seedDesign,
  seedTracker,
  agentPlanMode,
  designNote,
];

const BY_ID = new Map<string, Profile>(ALL_PROFILES.map((profile) => [profile.id, profile]));

/** The profile with this id, or undefined. */
export function profileById(id: string | null | undefined): Profile | undefined {
  return id ? BY_ID.get(id) : undefined;
}

/** The profile a model was read with, or undefined for ordinary Markdown. */
export function profileOf(model: { profile: string | null }): Profile | undefined {
  return profileById(model.profile);
}

/** The profiles a model might be (one when detection was sure). */
export function candidateProfiles(model: { profile: string | null; profileCandidates: string[] }): Profile[] {
  const ids = model.profileCandidates.length > 0 ? model.profileCandidates : model.profile ? [model.profile] : [];
  return ids.map((id) => BY_ID.get(id)).filter((profile): profile is Profile => profile !== undefined);
}

/**
 * The profile's title for messages: "required by the RFC profile"; with several candidates, all of them
 * ("the RFC / design note profiles").
 */
export function profileLabel(model: { profile: string | null; profileCandidates: string[] }): string {
  const titles = candidateProfiles(model).map((profile) => profile.title);
  if (titles.length === 0) return 'DocPlan';
  return titles.length === 1 ? `the ${titles[0]} profile` : `the ${titles.join(' / ')} profiles`;
}

export type { Profile, ProfileId };
