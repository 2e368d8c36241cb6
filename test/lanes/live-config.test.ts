/**
 * Live lanes.yaml with real files and a real chokidar watch, for each way editors save:
 * write in place, write a temp file and rename it over, rename the original to a backup
 * and write a new file (vim, JetBrains safe write). Added and removed lanes reach the
 * runtime; a broken edit is not applied, shows `file:line:column: key: expected` as the
 * config status until the file is fixed; a deleted file keeps the last good config.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchLanesFile } from '../../src/cli/live-config.js';
import { prepareConfig } from '../../src/cli/prepare.js';
import type { Action } from '../../src/state/actions.js';
import type { BoardConfig } from '../../src/state/config-types.js';
import { systemClock } from '../../src/runtime/types.js';
import type { ConfigWatcher } from '../../src/runtime/config-watch.js';
import { cleanupTempDirs, makeRepo, waitFor } from '../helpers/git-fixtures.js';

const watchers: ConfigWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.dispose()));
  cleanupTempDirs();
});

type Save = (file: string, text: string) => void;
const SAVES: Record<string, Save> = {
  'write in place': (file, text) => writeFileSync(file, text),
  'write and rename': (file, text) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  },
  'backup and rename (vim, JetBrains safe write)': (file, text) => {
    renameSync(file, `${file}~`);
    writeFileSync(file, text);
    rmSync(`${file}~`);
  },
};

const lanesText = (ids: string[]): string =>
  `# kept comment\nversion: 1\ndefaults:\n  repo: repo\nlanes:\n${ids
    .map((id) => `  - id: ${id}\n    worktree: wt-${id}\n    branch: ${id}\n`)
    .join('')}`;

async function setup(): Promise<{
  file: string;
  applied: BoardConfig[];
  actions: Action[];
}> {
  const { root } = makeRepo();
  const file = path.join(root, 'lanes.yaml');
  writeFileSync(file, lanesText(['a']));
  const applied: BoardConfig[] = [];
  const actions: Action[] = [];
  const w = watchLanesFile({
    file,
    initial: await prepareConfig(file),
    apply: (c) => {
      applied.push(c);
      return Promise.resolve();
    },
    dispatch: (a) => actions.push(a),
    clock: systemClock,
    settleMs: 50,
  });
  watchers.push(w);
  await w.start();
  return { file, applied, actions };
}

const lastStatus = (actions: Action[]): Action | undefined =>
  actions.filter((a) => a.type === 'config/status').at(-1);
const ids = (c: BoardConfig | undefined): string[] => c?.lanes.map((l) => l.id) ?? [];

describe.each(Object.entries(SAVES))('live lanes.yaml — %s', (_name, save) => {
  it('applies added and removed lanes; keeps the last good config on a broken edit until fixed', async () => {
    const { file, applied, actions } = await setup();
    save(file, lanesText(['a', 'b']));
    await waitFor(() => ids(applied.at(-1)).join() === 'a,b', 5_000, 'lane b added');

    save(file, lanesText(['b']));
    await waitFor(() => ids(applied.at(-1)).join() === 'b', 5_000, 'lane a removed');

    const n = applied.length;
    save(file, `${lanesText(['b'])}    restart: sometimes\n`);
    await waitFor(
      () => {
        const s = lastStatus(actions);
        return s?.type === 'config/status' && s.error !== null;
      },
      5_000,
      'error status',
    );
    const s = lastStatus(actions);
    expect(s?.type === 'config/status' && s.error).toMatch(
      /lanes\.yaml:9:14: lanes\[0\]\.restart: expected one of never \| on-failure \| always/,
    );
    expect(applied.length).toBe(n);

    save(file, lanesText(['b', 'c']));
    await waitFor(() => ids(applied.at(-1)).join() === 'b,c', 5_000, 'fixed and applied');
    const fixed = lastStatus(actions);
    expect(fixed?.type === 'config/status' && fixed.error).toBeNull();
  });
});

describe('live lanes.yaml — a deleted file', () => {
  it('keeps the last good config, says so, and applies the file when it is back', async () => {
    const { file, applied, actions } = await setup();
    rmSync(file);
    await waitFor(
      () => {
        const s = lastStatus(actions);
        return s?.type === 'config/status' && /is gone/.test(s.error ?? '');
      },
      5_000,
      'missing status',
    );
    expect(applied).toEqual([]);
    writeFileSync(file, lanesText(['a', 'z']));
    await waitFor(() => ids(applied.at(-1)).join() === 'a,z', 5_000, 'back');
  });
});
