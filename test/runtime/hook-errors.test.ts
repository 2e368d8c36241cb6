/** Unroutable `laneboard hook` problems become board notices (real files, real timers). */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHookErrorWatcher } from '../../src/runtime/hook-errors.js';
import { systemClock } from '../../src/runtime/types.js';
import type { Action } from '../../src/state/actions.js';
import { waitFor } from '../helpers/supervisor-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('createHookErrorWatcher', () => {
  it('announces new entries only, newest first, as board notices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-hookerr-'));
    dirs.push(dir);
    const file = join(dir, 'hook-errors.jsonl');
    writeFileSync(file, `${JSON.stringify({ event: 'laneboard.hook_error', detail: 'old' })}\n`);
    const actions: Action[] = [];
    const w = createHookErrorWatcher({
      stateDir: dir,
      dispatch: (a) => actions.push(a),
      clock: systemClock,
      intervalMs: 20,
    });
    await w.start();
    appendFileSync(
      file,
      `${JSON.stringify({ event: 'laneboard.hook_error', detail: 'no lane matches /x' })}\n`,
    );
    await waitFor(() => actions.length > 0);
    await w.dispose();
    expect(actions).toEqual([
      {
        type: 'board/notice',
        message: 'hook: no lane matches /x',
        at: expect.any(Number) as number,
      },
    ]);
  });
});
