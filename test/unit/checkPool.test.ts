// The server's check pool against stand-in workers: a worker that dies or hangs costs the document it was
// checking one clear failure, never the server, and the next check gets a fresh worker; a check superseded
// while queued is dropped without running.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultConfig } from '../../server/src/config/config';
import { CheckPool, Priority, type CheckRequest } from '../../server/src/lsp/checkPool';

const dir = mkdtempSync(join(tmpdir(), 'docplan-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
  return path;
}

function request(overrides: Partial<CheckRequest> = {}): CheckRequest {
  return { uri: 'file:///doc.md', text: '# Plan\n', options: { config: defaultConfig(), path: 'doc.md', maxDocMs: 10_000 }, priority: Priority.open, isCurrent: () => true, keepParse: true, ...overrides };
}

test('a worker that dies fails its check with a clear message, and the next check gets a new worker', async () => {
  const errors: string[] = [];
  // Dies on the first check it is given.
  const crashing = script('crash.js', `parentPort.on('message', (m) => { if (m.type === 'check') process.exit(3); });`);
  const pool = new CheckPool(crashing, (context) => errors.push(context));
  try {
    const first = await pool.check(request());
    assert.equal(first.kind, 'failed');
    assert.match(first.kind === 'failed' ? first.message : '', /check worker stopped .*exit code 3/);
    const second = await pool.check(request());
    assert.equal(second.kind, 'failed', 'the replaced worker took the next check');
    assert.equal(errors.length, 2, 'each death is reported once');
  } finally {
    pool.dispose();
  }
});

test('a worker held far past the budget is stopped, and the check says it went over budget', async () => {
  const hanging = script('hang.js', `parentPort.on('message', () => { for (;;) {} });`);
  const pool = new CheckPool(hanging);
  try {
    const outcome = await pool.check(request({ options: { config: defaultConfig(), path: 'doc.md', maxDocMs: 100 } }));
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.overBudget, true);
  } finally {
    pool.dispose();
  }
});

test('a queued check superseded before a worker is free is dropped; a request still gets the spare worker', async () => {
  // Answers every check with an empty result, the one of busy.md late: it holds the worker open checks may use.
  const slow = script(
    'slow.js',
    `parentPort.on('message', (m) => { if (m.type !== 'check') return; const reply = { type: 'checked', id: m.id, summary: { kind: null, disabled: false, stageCount: 0, notes: [] }, findings: [], ruleErrors: [], notes: [], skipped: null };
      const model = { type: 'model', id: m.id, modelJson: '{"kind":null,"stages":[],"notes":[]}', textIsDocument: false };
      setTimeout(() => { parentPort.postMessage(reply); parentPort.postMessage(model); }, m.uri.endsWith('busy.md') ? 5000 : 0); });`,
  );
  const pool = new CheckPool(slow);
  try {
    const order: string[] = [];
    const busy = pool.check(request({ uri: 'file:///busy.md' })).then((outcome) => order.push(`busy ${outcome.kind}`));
    let current = true;
    const stale = pool.check(request({ uri: 'file:///stale.md', isCurrent: () => current })).then((outcome) => order.push(`stale ${outcome.kind}`));
    current = false;
    const asked = pool.check(request({ uri: 'file:///asked.md', priority: Priority.request })).then((outcome) => order.push(`asked ${outcome.kind}`));
    await Promise.all([busy, stale, asked]);
    assert.deepEqual(order, ['stale superseded', 'asked checked', 'busy checked']);
  } finally {
    pool.dispose();
  }
});

test('the findings settle a check before its model arrives; the model is read once it has come', async () => {
  // Sends the findings at once and the model 400 ms later; dies instead of sending the model of gone.md.
  const late = script(
    'late.js',
    `parentPort.on('message', (m) => { if (m.type !== 'check') return;
      parentPort.postMessage({ type: 'checked', id: m.id, summary: { kind: 'plan', disabled: false, stageCount: 1, notes: [] }, findings: [], ruleErrors: [], notes: [], skipped: null });
      if (m.uri.endsWith('gone.md')) { setTimeout(() => process.exit(4), 100); return; }
      setTimeout(() => parentPort.postMessage({ type: 'model', id: m.id, modelJson: '{"kind":"plan","stages":[{}],"notes":[]}', textIsDocument: true }), 400); });`,
  );
  const pool = new CheckPool(late);
  try {
    const started = Date.now();
    const outcome = await pool.check(request());
    assert.equal(outcome.kind, 'checked');
    if (outcome.kind !== 'checked') return;
    assert.ok(Date.now() - started < 350, 'the findings did not wait for the model');
    assert.throws(() => outcome.checked.built.model, /not arrived/);
    await outcome.modelReady;
    assert.equal(outcome.checked.built.model.kind, 'plan');
    assert.equal(outcome.checked.built.model.text, '# Plan\n', 'the text is the job\'s');
    // A worker that stops before sending the model: the wait ends, and reading the model says why.
    const gone = await pool.check(request({ uri: 'file:///gone.md' }));
    assert.equal(gone.kind, 'checked');
    if (gone.kind !== 'checked') return;
    await gone.modelReady;
    assert.throws(() => gone.checked.built.model, /check worker stopped/);
  } finally {
    pool.dispose();
  }
});
