/**
 * The Claude Code recipe of docs/recipes.md, run for real: the recipe's setup script, its
 * settings.json hooks block (path filled in as the docs say) in the worktree's
 * `.claude/settings.local.json`, the stand-in session running every hook through a
 * `laneboard` on PATH (the built CLI), steering sent by the real supervisor into the inbox,
 * and the lane read back with `laneboard --json` and the real bridge reader + store.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareConfig } from '../../src/cli/prepare.js';
import { readBridgeOnce } from '../../src/runtime/bridge/index.js';
import { createSupervisor } from '../../src/runtime/supervisor/index.js';
import { systemClock } from '../../src/runtime/types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { createBoardStore } from '../../src/state/store.js';
import { builtCli, removeBuiltCli } from '../helpers/hook-cli.js';
import { copyRecipes, jsonSnapshot, setupLanes, type RecipesCopy } from '../helpers/recipes-env.js';

let cli = '';
let copy: RecipesCopy;

beforeAll(async () => {
  cli = await builtCli();
  copy = copyRecipes(cli);
}, 120_000);
afterAll(() => {
  copy.remove();
  removeBuiltCli();
});

describe('recipe: Claude Code hooks (examples/recipes/claude-code)', () => {
  it('the stand-in session feeds the lane, and a steering message reaches it through the Stop hook', async () => {
    const dir = path.join(copy.root, 'claude-code');
    const config = path.join(dir, 'lanes.yaml');
    const [worktree] = setupLanes(copy, 'claude-code', 'agent-a');
    if (!worktree) throw new Error('setup made no worktree');

    // docs/recipes.md: put the hooks block in the worktree's .claude/settings.local.json
    // with the absolute path of lanes.yaml.
    const settings = readFileSync(path.join(dir, 'settings.json'), 'utf8').replaceAll(
      '/ABSOLUTE/PATH/TO/lanes.yaml',
      config,
    );
    mkdirSync(path.join(worktree, '.claude'), { recursive: true });
    const settingsFile = path.join(worktree, '.claude', 'settings.local.json');
    writeFileSync(settingsFile, settings);

    // The operator steers the lane (board key `s`): the real supervisor appends to the inbox.
    const board = await prepareConfig(config);
    const store = createBoardStore();
    store.dispatch({
      type: 'lanes/configured',
      lanes: board.lanes,
      settings: board.settings,
      at: Date.now(),
    });
    const supervisor = createSupervisor({
      config: board,
      dispatch: (a) => store.dispatch(a),
      clock: systemClock,
    });
    const text = 'Also add a test for HTTP 503; then stop.';
    const sent = await supervisor.steer('agent-a', text);
    await supervisor.dispose();
    expect(sent).toMatchObject({ state: 'pending', via: 'inbox', error: null });
    expect(selectLaneView(store.getState(), 'agent-a').steering[0]?.delivery).toBe('pending');

    const out = execFileSync(
      process.execPath,
      [path.join(dir, 'claude-code-standin.mjs'), '--settings', settingsFile],
      { cwd: worktree, encoding: 'utf8', env: { ...process.env, PATH: copy.path } },
    );
    const answer = JSON.stringify({ decision: 'block', reason: text });
    expect(out.split('\n').filter((l) => l.startsWith('Stop -> '))).toEqual([
      `Stop -> exit 0 ${answer}`,
      'Stop -> exit 0',
    ]);
    expect(out).toContain(`continuing with: ${text}`);
    expect(out).toContain('SessionEnd -> exit 0');
    expect(out).not.toMatch(/exit [^0]/);

    // The board (one read of the real bridge files) sees the session and the delivery.
    const lane = board.lanes[0];
    if (!lane) throw new Error('no lane');
    store.dispatchAll(await readBridgeOnce(lane, board.settings, Date.now()));
    const view = selectLaneView(store.getState(), 'agent-a');
    expect(view.steering.map((m) => [m.id, m.delivery])).toEqual([[sent.id, 'delivered']]);
    expect(view.agent).toMatchObject({ status: 'finished', dialect: 'claude-hooks' });
    expect(view.agent.notes.lastMessage).toBe(`Done as asked: ${text}`);

    // And so does `laneboard --json`.
    const snap = await jsonSnapshot(cli, config);
    expect(snap['agent-a']).toMatchObject({
      agent: { status: 'finished', kind: 'finished', dialect: 'claude-hooks' },
      blockers: [],
      lastEvent: { name: 'hook.SessionEnd' },
      problems: [],
    });
    expect(snap['agent-a']?.git.dirty).toBe(0);
  });
});
