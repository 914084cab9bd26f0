/**
 * The floors of `docplan check` over a tree: what a process costs that finds the Markdown files the way the
 * CLI does, reads and pre-scans each (`read`), then parses the ones that pass with DocPlan's parser (remark,
 * in chunks; `parse`) and builds their models (`model`), but checks nothing: no git, no symbols, no rules.
 * `bench/treeBench.ts` bundles it like the CLI and times each stage as a whole process beside the others,
 * so that the table shows how much of the cold run any remark-based checker would pay before its rules.
 *
 *   node <bundle of this file> <root> read|parse|model
 */
import { resolve } from 'node:path';
import { buildDocument } from '../server/src/check';
import { defaultConfig } from '../server/src/config/config';
import { parseMarkdown } from '../server/src/model/parse';
import { mayBeDocPlanDoc } from '../server/src/model/prescan';
import { collectFiles, readDocument, rootRelative } from '../server/src/workspace/files';

const root = resolve(process.argv[2] ?? '.');
const stage = process.argv[3] ?? 'parse';
const config = defaultConfig();
const extraWords = Object.values(config.sectionSynonyms).flat();
let parsed = 0;
let kinds = 0;
for (const path of collectFiles(['.'], { cwd: root, root }).files) {
  const read = readDocument(path, 1 << 24);
  if (!read.ok) continue;
  const rel = rootRelative(root, path);
  if (!mayBeDocPlanDoc(read.text, { path: rel, include: config.include, extraWords })) continue;
  parsed++;
  if (stage === 'read') continue;
  if (stage === 'parse') {
    parseMarkdown(read.text);
    continue;
  }
  if (buildDocument(read.text, { config, path: rel, workspace: null, maxDocMs: 0 }).model.kind !== null) kinds++;
}
process.stdout.write(`${parsed} passed the pre-scan${stage === 'model' ? `, ${kinds} DocPlan docs` : ''}\n`);
