/** Generated hostile documents: large plans of the shapes that once made DocPlan slow. */

/** A plan of `stages` small stages (about 415 bytes each: 12,000 make 5 MB, under the default --max-file-size). */
export function stageDensePlan(stages: number): string {
  const parts = ['# Plan: Many small stages', '', '**Goal**: `npm test` passes with 0 failures.', '', '## Background', '', 'Generated.', '', '## Affected Code', '', '- `src/app.ts` - the app', ''];
  const filler = 'Keep the change small and reviewed; note anything surprising in the log, then tell the owner of the module what changed and why.';
  for (let n = 1; n <= stages; n++) {
    parts.push(
      `## Stage ${n}: Step number ${n}`,
      '',
      '### Objective',
      '',
      `Make step ${n} work, after Stage ${Math.max(1, n - 1)}. ${filler}`,
      '',
      '### Changes',
      '',
      `- [ ] Change \`src/app.ts:${n}\` for step ${n}`,
      `- [x] Review step ${n} with the team`,
      '',
      '### Validation',
      '',
      `- [ ] \`npm test -- -t "step ${n}"\``,
      '',
      '### Completion Criteria',
      '',
      `- [ ] Step ${n} passes`,
      '',
    );
  }
  return parts.join('\n');
}
