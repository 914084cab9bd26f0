/** Documents shared by the server tests, with the positions the assertions rely on. */

/**
 * A plan with two known problems once `.docplan.json` sets stage-too-large's maxChanges to 3:
 * - missing-goals on the title text (line 0, characters 2-22): no Goals section and no **Goal**: line;
 * - stage-too-large on Stage 1's heading text (line 6, characters 3-29): 5 change items.
 */
export const PLAN = [
  '# Plan: Faster widgets', // 0
  '',
  '## Background', // 2
  '',
  'Widgets are slow to render.', // 4
  '',
  '## Stage 1: Cache the widgets', // 6
  '',
  '### Objective', // 8
  '',
  'Rendering reuses cached widgets.', // 10
  '',
  '### Changes', // 12
  '',
  '- [ ] Add a cache', // 14
  '- [ ] Use the cache when rendering',
  '- [ ] Expire old entries',
  '- [ ] Log cache hits',
  '- [ ] Document the cache', // 18
  '',
  '### Validation', // 20
  '',
  '- [ ] `npm test`', // 22
  '',
  '## Stage 2: Measure the gain ✅', // 24
  '',
  '### Objective', // 26
  '',
  'Numbers show the gain.', // 28
  '',
  '### Changes', // 30
  '',
  '- [x] Add a benchmark', // 32
  '',
  '### Validation', // 34
  '',
  '```bash', // 36
  'npm run bench',
  '```', // 38
  '',
].join('\n');

export const PLAN_TITLE_RANGE = { start: { line: 0, character: 2 }, end: { line: 0, character: 22 } };
export const STAGE_1_HEADING_TEXT_RANGE = { start: { line: 6, character: 3 }, end: { line: 6, character: 29 } };

/** The folder configuration the plan's second problem depends on. */
export const CONFIG = JSON.stringify({ rules: { 'stage-too-large': { maxChanges: 3 } } }, null, 2);

/** Ordinary Markdown: must get no diagnostics at all. */
export const README = [
  '# Widgets',
  '',
  'A library of widgets. TODO: write more.',
  '',
  '## Usage',
  '',
  '- Install it',
  '- Use it',
  '',
].join('\n');

/** A design doc (by front matter) with phases and nested steps, for the outline. */
export const PHASED = [
  '---', // 0
  'docplan: design',
  '---',
  '# Design: Widget cache', // 3
  '',
  '## Goals', // 5
  '',
  '- Render 2x faster', // 7
  '',
  '## Implementation Plan', // 9
  '',
  '### Phase 1: Cache', // 11
  '',
  '#### Step 1.1: Add the cache', // 13
  '',
  '**File**: `src/cache.ts`',
  '',
  '**Validate**: `npm test`', // 17
  '',
  '#### Step 1.2: Use the cache', // 19
  '',
  '**Validate**: `npm test`', // 21
  '',
  '### Phase 2: Measure', // 23
  '',
  '**Validate**: `npm run bench`', // 25
  '',
].join('\n');
