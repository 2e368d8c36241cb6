/**
 * The live-bridge recipe of docs/recipes.md, run for real: the stand-in bridge inside a
 * detached tmux session writing snake_case state.json / result.json, steered by the lane's
 * `tmux send-keys` command template through the real supervisor, read back with
 * `laneboard --json` (the built CLI) and the real store. Skipped when tmux is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareConfig } from '../../src/cli/prepare.js';
import { createSupervisor } from '../../src/runtime/supervisor/index.js';
import { systemClock } from '../../src/runtime/types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { createBoardStore } from '../../src/state/store.js';
import { waitFor } from '../helpers/git-fixtures.js';
import { builtCli, removeBuiltCli } from '../helpers/hook-cli.js';
import { copyRecipes, jsonSnapshot, setupLanes, type RecipesCopy } from '../helpers/recipes-env.js';

const SESSION = 'laneboard-recipe-live'; // as in examples/recipes/live-bridge/lanes.yaml
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const killSession = () => spawnSync('tmux', ['kill-session', '-t', SESSION], { stdio: 'ignore' });

let cli = '';
let copy: RecipesCopy | null = null;

beforeAll(async () => {
  if (!hasTmux) return;
  cli = await builtCli();
  copy = copyRecipes(cli);
}, 120_000);
afterAll(() => {
  if (hasTmux) killSession();
  copy?.remove();
  removeBuiltCli();
});

describe.skipIf(!hasTmux)(
  `recipe: live bridge in tmux (examples/recipes/live-bridge)${hasTmux ? '' : ' — SKIPPED: tmux is not installed'}`,
  () => {
    it('shows the bridge state, steers it with tmux send-keys, and counts down a usage limit', async () => {
      if (!copy) throw new Error('no recipes copy');
      const dir = path.join(copy.root, 'live-bridge');
      const config = path.join(dir, 'lanes.yaml');
      const [worktree] = setupLanes(copy, 'live-bridge', 'live-a');
      if (!worktree) throw new Error('setup made no worktree');
      const bridge = path.join(dir, '.laneboard', 'lanes', 'live-a');
      const read = (name: string) =>
        existsSync(path.join(bridge, name))
          ? (JSON.parse(readFileSync(path.join(bridge, name), 'utf8')) as Record<string, unknown>)
          : null;

      killSession();
      execFileSync('tmux', [
        'new-session',
        '-d',
        '-s',
        SESSION,
        '-x',
        '200',
        '-y',
        '50',
        '-c',
        worktree,
        process.execPath,
        path.join(dir, 'live-bridge-standin.mjs'),
        '--bridge',
        bridge,
      ]);
      await waitFor(() => read('state.json')?.status === 'idle', 10_000, 'the bridge to start');

      const board = await prepareConfig(config);
      const store = createBoardStore();
      const t0 = Date.now();
      store.dispatch({
        type: 'lanes/configured',
        lanes: board.lanes,
        settings: board.settings,
        at: t0,
      });
      const supervisor = createSupervisor({
        config: board,
        dispatch: (a) => store.dispatch(a),
        clock: systemClock,
      });
      try {
        const sent = await supervisor.steer('live-a', 'add a retry test');
        expect(sent).toMatchObject({ via: 'command', state: 'pending', error: null });
        await waitFor(
          () => read('result.json')?.res === 'Done: add a retry test',
          10_000,
          'the turn',
        );

        let lane = (await jsonSnapshot(cli, config))['live-a'];
        expect(lane?.agent).toMatchObject({
          status: 'idle',
          kind: 'idle',
          dialect: 'live-bridge',
          sessionId: read('state.json')?.session_id,
          notes: {
            tmuxSession: SESSION,
            lane: 'live-a',
            turn: expect.stringMatching(/^#1 waiting_prompt/) as unknown,
          },
        });
        expect(lane?.raw.result).toMatchObject({
          ok: true,
          res: 'Done: add a retry test',
          turn: 1,
        });
        expect(lane?.raw.extras).toMatchObject({ result: { turn: 1 } });
        expect(lane?.blockers).toEqual([]);

        // Typing into a terminal has no acknowledgement channel: the message stays
        // pending and is shown as not delivered once steer_timeout (30s here) passes.
        const view = (at: number) => {
          store.dispatch({ type: 'clock/tick', at });
          return selectLaneView(store.getState(), 'live-a');
        };
        expect(view(sent.sentAt + 1_000).steering[0]?.delivery).toBe('pending');
        expect(view(sent.sentAt + 30_001).steering[0]?.delivery).toBe('not_delivered');

        await supervisor.steer('live-a', '/limit');
        await waitFor(() => read('state.json')?.status === 'blocked', 10_000, 'the usage limit');
        lane = (await jsonSnapshot(cli, config))['live-a'];
        expect(lane?.agent).toMatchObject({
          status: 'blocked',
          kind: 'blocked',
          dialect: 'live-bridge',
        });
        expect(lane?.blockers).toEqual([
          expect.objectContaining({
            failureClass: 'rate_limit',
            detail: expect.stringMatching(/^usage limit; resets in (59m \d+s|1h 0m)$/) as unknown,
            nextAction: 'wait for the limit to reset, then resume the same session',
            source: expect.objectContaining({ file: 'state.json' }) as unknown,
          }),
        ]);
      } finally {
        await supervisor.dispose();
      }
    });
  },
);
