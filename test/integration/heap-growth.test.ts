/**
 * src/cli/heap.ts in a real Node process: with `boundHeapGrowth()` called, a workload whose
 * garbage reaches V8's old generation before it dies (the shape of a board in an update
 * storm: a fixed live set, and objects that outlive a few young collections) keeps a much
 * smaller old space than the same workload under V8's own sizing.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const HEAP = fileURLToPath(new URL('../../src/cli/heap.ts', import.meta.url));

/** Largest old-space size (MB) of a child running `rounds` rounds of the workload. */
async function maxOldSpaceMb(bound: boolean, rounds: number): Promise<number> {
  const script = `
    import v8 from 'node:v8';
    import { boundHeapGrowth } from ${JSON.stringify(HEAP)};
    if (${bound}) boundHeapGrowth();
    const live = [];
    for (let i = 0; i < 50000; i++) live.push({ a: i, b: 'x' + i });
    const ring = new Array(150000);
    let k = 0;
    let max = 0;
    const old = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size;
    for (let r = 0; r < ${rounds}; r++) {
      for (let j = 0; j < 15000; j++) ring[k++ % ring.length] = { s: k, t: [k] };
      max = Math.max(max, old());
    }
    console.log(JSON.stringify({ max, live: live.length }));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { timeout: 60_000 },
  );
  return (JSON.parse(stdout) as { max: number }).max / 1048576;
}

describe('boundHeapGrowth', () => {
  it('keeps the old generation near its live size under promoted garbage', async () => {
    const [own, bounded] = await Promise.all([maxOldSpaceMb(false, 80), maxOldSpaceMb(true, 80)]);
    // Live ~15 MB; measured ~40 MB against ~85-105 MB (~1 s of CPU each).
    expect(bounded).toBeLessThan(own * 0.6);
  }, 70_000);
});
