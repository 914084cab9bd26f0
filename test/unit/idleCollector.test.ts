/**
 * The idle collection gives a fragmented old generation back: after a burst that leaves one object in ten
 * alive, the old space holds little more than what is alive once the server has been quiet for a second.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { IdleCollector } from '../../server/src/lsp/idleCollector';

function oldSpace(): { committedMb: number; usedMb: number } {
  const space = getHeapSpaceStatistics().find((entry) => entry.space_name === 'old_space')!;
  return { committedMb: space.space_size / 1e6, usedMb: space.space_used_size / 1e6 };
}

describe('IdleCollector', () => {
  it('compacts the old generation once things stay quiet', async () => {
    const collector = new IdleCollector();
    let burst: { id: number; name: string; tags: number[] }[] = [];
    for (let i = 0; i < 400_000; i++) burst.push({ id: i, name: `item ${i}`, tags: [i, i + 1] });
    // Survivors spread over every page the burst filled.
    burst = burst.filter((_, index) => index % 10 === 0);
    const before = oldSpace();
    assert.ok(before.committedMb > 20, `the burst filled the old space (${before.committedMb.toFixed(1)} MB)`);
    collector.busy();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = oldSpace();
    assert.equal(burst.length, 40_000);
    assert.ok(after.committedMb - after.usedMb < 3, `old space ${after.committedMb.toFixed(1)} MB committed for ${after.usedMb.toFixed(1)} MB used`);
    collector.dispose();
  });
});
