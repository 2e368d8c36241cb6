/**
 * A supervising runtime creates the bridge dirs of the lanes it runs workers for before its
 * bridge watchers first look (src/runtime/create-runtime.ts): a worker not started yet (a
 * loaded machine, `autostart: false`) never makes its lane flash a `bridge dir … does not
 * exist` error. An observing runtime creates nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { cleanupProjects, makeProject } from '../helpers/e2e-project.js';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
  cleanupProjects();
});

describe('bridge dirs of supervised lanes', () => {
  it('exist before the watchers look; the lane shows no bridge error', async () => {
    const p = makeProject();
    p.addLane('alpha', 'lane/alpha');
    p.addLane('watch', 'lane/watch');
    p.writeConfig(
      [
        'version: 1',
        'defaults:',
        '  repo: repo',
        'lanes:',
        '  - id: alpha',
        '    worktree: wt/alpha',
        '    branch: lane/alpha',
        '    command: [sleep, "30"]',
        '    autostart: false',
        // Observe-only, at a path of its own: nothing creates it.
        '  - id: watch',
        '    worktree: wt/watch',
        '    branch: lane/watch',
        '    bridge: bridges/watch',
        '',
      ].join('\n'),
    );
    const config = await loadConfig(p.config);
    const observing = await createRuntime(config, { mode: 'observe' });
    disposers.push(() => observing.dispose());
    expect(existsSync(p.bridge('alpha'))).toBe(false);

    const rt = await createRuntime(config, { mode: 'supervise', autostart: false });
    disposers.push(() => rt.dispose());
    expect(existsSync(p.bridge('alpha'))).toBe(true);
    expect(existsSync(path.join(p.root, 'bridges', 'watch'))).toBe(false);
    await rt.start();
    await rt.observed();
    const s = rt.store.getState();
    expect(s.lanes.alpha?.bridge.dirError ?? null).toBeNull();
    expect(selectLaneView(s, 'alpha').worker.state).not.toBe('running');
    // The control: the lane nobody creates a dir for does report it.
    expect(s.lanes.watch?.bridge.dirError?.message).toMatch(/does not exist/);
  });
});
