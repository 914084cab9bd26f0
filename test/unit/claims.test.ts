/** The claims an item's words make, on the item shapes of each family (../shared/spec/formats.md, in our own words). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { claimsOfText, namedPathsOfText, taskText } from '../../server/src/model/itemClaims';
import { itemKey, parseDocLog, parseDocLogs, parseNameLog } from '../../server/src/claims/history';
import { buildModel } from '../../server/src/model/build';
import { fileIntent } from '../../server/src/model/referenceIntent';

describe('claims an item makes', () => {
  const cases: [string, unknown[]][] = [
    ['Create `src/cache.py`', [{ kind: 'creates', path: 'src/cache.py' }]],
    ['Create: `src/a.py`, `src/b.py`', [{ kind: 'creates', path: 'src/a.py' }, { kind: 'creates', path: 'src/b.py' }]],
    ['add the file `docs/usage.md`', [{ kind: 'creates', path: 'docs/usage.md' }]],
    ['`src/store.py` (new file)', [{ kind: 'creates', path: 'src/store.py' }]],
    ['Delete: `src/legacy.py`', [{ kind: 'deletes', path: 'src/legacy.py' }]],
    ['remove `scripts/old.sh` and its README entry', [{ kind: 'deletes', path: 'scripts/old.sh' }]],
    ['Add `Client.retry()` to `client.py`', [{ kind: 'defines', symbol: 'Client.retry', path: 'client.py', test: false }]],
    ['add test `test_retry_backoff` in `tests/test_client.py`', [{ kind: 'defines', symbol: 'test_retry_backoff', path: 'tests/test_client.py', test: true }]],
    // Spec-driven task list items.
    ['T003 [US1] Add `write_header()` to `src/models/invoice_csv.py`', [{ kind: 'defines', symbol: 'write_header', path: 'src/models/invoice_csv.py', test: false }]],
    ['T012 [P] [US1] Create the Invoice model in src/models/invoice.py', [{ kind: 'creates', path: 'src/models/invoice.py' }]],
    // No checkable claim: silence.
    ['Update `src/config.py` to read the timeout', []],
    ['Refactor the parser', []],
    ['Add `retries` to the config', []],
    ['Remove the `--force` flag', []],
    ['Add `Client.retry()` and document it', []],
    ['Bump to `v1.2.3`', []],
    ['Remove `utils.py` imports from the handlers', []],
    ['Create `src/backoff.py` <!-- owner: ana -->', [{ kind: 'creates', path: 'src/backoff.py' }]],
    ['Add `config.toml` to the README', []],
    ['Create `src/weather/cache.py` with `ResponseCache`', [{ kind: 'creates', path: 'src/weather/cache.py' }]],
    ['Delete `scripts/old.sh` - it is unused', [{ kind: 'deletes', path: 'scripts/old.sh' }]],
  ];
  for (const [text, expected] of cases) {
    it(text, () => assert.deepEqual(claimsOfText(text), expected));
  }

  it('reads the task text after the box, and names every file an item mentions', () => {
    assert.equal(taskText('  - [x] Create `a/b.py`'), 'Create `a/b.py`');
    assert.equal(taskText('- plain item'), null);
    assert.deepEqual(namedPathsOfText('Update `src/config.py:12` and `docs/a.md`; run `make test`'), ['src/config.py', 'docs/a.md']);
  });
});

describe('what an item creates or deletes, as the reference rules read it', () => {
  it('is what its claims say, on every item of the table that creates or deletes a file', () => {
    // `(created)` is a claim the reference rules' own words did not know: one reader answers both.
    const items = ['Create `src/cache.py`', '`src/store.py` (created)', 'Delete: `src/legacy.py`', 'remove `scripts/old.sh` and its README entry'];
    const text = ['# Plan', '', '## Stage 1: Work', '', '### Changes', '', ...items.map((item) => `- [x] ${item}`), ''].join('\n');
    const { model, lines } = buildModel(text);
    const intents = model.references.map((reference) => [reference.path, fileIntent(model, lines, reference)]);
    const claimed = items.flatMap((item) => claimsOfText(item).map((claim) => [claim.path, claim.kind === 'creates' ? 'create' : 'delete']));
    assert.deepEqual(claimed, [
      ['src/cache.py', 'create'],
      ['src/store.py', 'create'],
      ['src/legacy.py', 'delete'],
      ['scripts/old.sh', 'delete'],
    ]);
    assert.deepEqual(intents, claimed);
  });
});

describe('item history from git output', () => {
  it('finds the commit that added an item and the one that ticked it; a comment on the line does not change the item', () => {
    const log = ['\x01aaa', '+- [ ] Create `a.py`', '+- [ ] Polish', '\x01bbb', '+- [x] Create `a.py` <!-- note -->', '-- [ ] Create `a.py`'].join('\n');
    const tasks = parseDocLog(log);
    assert.deepEqual(tasks.get(itemKey('Create `a.py`')), { added: 'aaa', ticked: 'bbb', lastTicked: true });
    assert.deepEqual(tasks.get('Polish'), { added: 'aaa', ticked: null, lastTicked: false });
  });

  it('keeps the items of several docs of one log apart, by the patch header of each', () => {
    const log = [
      '\x01aaa',
      'diff --git a/docs/a.md b/docs/a.md',
      '+++ b/docs/a.md',
      '+- [ ] Create `a.py`',
      'diff --git a/docs/b.md b/docs/b.md',
      '+++ b/docs/b.md',
      '+- [x] Create `a.py`',
      'diff --git a/docs/other.md b/docs/other.md',
      '+++ b/docs/other.md',
      '+- [x] Polish',
      '\x01bbb',
      'diff --git a/docs/a.md b/docs/a.md',
      '+++ b/docs/a.md',
      '+- [x] Create `a.py`',
      'diff --git "a/docs/caf\\303\\251 \\"v2\\".md" "b/docs/caf\\303\\251 \\"v2\\".md"',
      '+++ "b/docs/caf\\303\\251 \\"v2\\".md"',
      '+- [ ] Polish',
    ].join('\n');
    const docs = parseDocLogs(log, new Set(['docs/a.md', 'docs/b.md', 'docs/caf\u00e9 "v2".md']));
    assert.deepEqual(docs.get('docs/a.md')?.get(itemKey('Create `a.py`')), { added: 'aaa', ticked: 'bbb', lastTicked: true });
    assert.deepEqual(docs.get('docs/b.md')?.get(itemKey('Create `a.py`')), { added: 'aaa', ticked: 'aaa', lastTicked: true });
    assert.equal(docs.has('docs/other.md'), false, 'a doc that was not asked about is skipped');
    assert.deepEqual(docs.get('docs/caf\u00e9 "v2".md')?.get('Polish'), { added: 'bbb', ticked: null, lastTicked: false });
  });

  it('lists the commits in order with the files each changed', () => {
    const { order, changed } = parseNameLog(['\x01aaa', '', 'a.py', 'docs/plan.md', '\x01bbb', '', 'b.py'].join('\n'));
    assert.deepEqual([...order], [['aaa', 0], ['bbb', 1]]);
    assert.deepEqual(changed.map((set) => [...set]), [['a.py', 'docs/plan.md'], ['b.py']]);
  });
});
