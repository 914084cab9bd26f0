/**
 * Words for the claims an item makes (read by model/itemClaims.ts), for the completion rules' messages.
 */
import type { Claim } from '../model/itemClaims';

/** Human words for a claim, for messages. */
export function describeClaim(claim: Claim): string {
  if (claim.kind === 'creates') return `creates \`${claim.path}\``;
  if (claim.kind === 'deletes') return `deletes \`${claim.path}\``;
  return `${claim.test ? 'adds the test' : 'adds'} \`${claim.symbol}\` to \`${claim.path}\``;
}

/** Human words for a claim that holds, for messages. */
export function describeHeldClaim(claim: Claim): string {
  if (claim.kind === 'creates') return `\`${claim.path}\` exists`;
  if (claim.kind === 'deletes') return `\`${claim.path}\` is gone`;
  return `\`${claim.symbol}\` is defined in \`${claim.path}\``;
}

/** `a`, `a` and `b`, or `a`, `b` and `c`, each in backticks. */
export function nameList(paths: readonly string[]): string {
  const quoted = paths.map((path) => `\`${path}\``);
  return quoted.length <= 1 ? (quoted[0] ?? 'its files') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
