/**
 * The claw-code recipe of docs/recipes.md, run for real: the recipe's setup script, the
 * stand-in worker writing `.claw/worker-state.json` in the lane's worktree and LaneEvent
 * lines into the lane's bridge dir, and the lane read back with `laneboard --json` (the
 * built CLI) — a trust-prompt stall, a merge-ready green lane, then a workspace mismatch.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('recipe: claw-code (examples/recipes/claw-code)', () => {
  it('a lane pointed at the worktree shows the worker file and lane events', async () => {
    const dir = path.join(copy.root, 'claw-code');
    const config = path.join(dir, 'lanes.yaml');
    const [worktree] = setupLanes(copy, 'claw-code', 'claw-a');
    if (!worktree) throw new Error('setup made no worktree');
    const events = path.join(dir, '.laneboard', 'lanes', 'claw-a', 'events.jsonl');
    const standin = (scenario: string) =>
      execFileSync(
        process.execPath,
        [path.join(dir, 'claw-code-standin.mjs'), '--events', events, '--scenario', scenario],
        { cwd: worktree, encoding: 'utf8' },
      );

    standin('trust');
    let lane = (await jsonSnapshot(cli, config))['claw-a'];
    expect(lane?.agent).toMatchObject({
      status: 'trust_required',
      kind: 'blocked',
      dialect: 'claw-code',
    });
    expect(lane?.blockers).toEqual([
      expect.objectContaining({
        failureClass: 'trust_gate',
        detail: expect.stringMatching(/^trust prompt unanswered for 7\d s$/) as unknown,
        nextAction: "answer the trust prompt in the agent's session (or allowlist the worktree)",
        source: expect.objectContaining({ file: '.claw/worker-state.json' }) as unknown,
      }),
    ]);

    standin('green');
    lane = (await jsonSnapshot(cli, config))['claw-a'];
    expect(lane).toMatchObject({
      agent: { status: 'finished', kind: 'finished', dialect: 'claw-code' },
      tests: { status: 'green', level: 'package', stale: false },
      git: { freshness: 'fresh', dirty: 0 },
      blockers: [],
      mergeReady: true,
      lastEvent: { name: 'lane.finished' },
      problems: [],
    });
    expect(lane?.raw.claw).toMatchObject({ status: 'finished', last_event: { kind: 'finished' } });

    standin('mismatch');
    lane = (await jsonSnapshot(cli, config))['claw-a'];
    expect(lane?.blockers.map((b) => [b.failureClass, b.detail])).toEqual([
      ['workspace_mismatch', `agent works in /tmp/other-checkout, expected ${worktree}`],
    ]);
    expect(lane?.mergeReady).toBe(false);
    expect(lane?.mergeReasons).toEqual(['blocked']);
  });
});
