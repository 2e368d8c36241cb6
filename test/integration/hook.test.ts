/**
 * `laneboard hook` driven through the BUILT CLI (`node bin/laneboard.js hook`) by a fake
 * Claude Code session: captured payload shapes on stdin, one hook process per event, the
 * lane found by `--config` + cwd (or `LANEBOARD_BRIDGE_DIR`), steering answered on Stop,
 * and every bad input recorded where the board shows it — always exit 0, always fast.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBridgeOnce } from '../../src/runtime/bridge/index.js';
import { DEFAULT_SETTINGS, type LaneConfig } from '../../src/state/config-types.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { createBoardStore } from '../../src/state/store.js';
import { FIXTURES } from '../helpers/dialect-fixtures.js';
import { twoLaneProject } from '../helpers/git-fixtures.js';
import { builtCli, removeBuiltCli, runCli } from '../helpers/hook-cli.js';

let cli = '';
let dir = '';
const bridgeOf = (id: string) => path.join(dir, '.laneboard', 'lanes', id);
const wt = (id: string) => path.join(dir, 'wt', id);
const configPath = () => path.join(dir, 'lanes.yaml');

beforeAll(async () => {
  cli = await builtCli();
}, 120_000);
afterAll(removeBuiltCli);

beforeEach(() => {
  dir = twoLaneProject('lb-hook-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The captured 2.1.330 turn, as if recorded in lane a's worktree (one payload per line). */
function capturedTurn(): Record<string, unknown>[] {
  return readFileSync(path.join(FIXTURES, 'claude-code-hooks/captured-2.1.330-turn.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(
      (l) => JSON.parse(l.replaceAll('/home/dev/wt/lane-a', wt('a'))) as Record<string, unknown>,
    );
}

function hookLines(id: string): Record<string, unknown>[] {
  const f = path.join(bridgeOf(id), 'hook-events.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What the board shows for lane `id` after reading its bridge (real reader, real store). */
async function board(id: string) {
  const lane: LaneConfig = {
    id,
    repo: path.join(dir, 'repo'),
    worktree: wt(id),
    worktreeRealpath: wt(id),
    branch: `lane/${id}`,
    base: 'main',
    command: null,
    env: {},
    bridge: bridgeOf(id),
    autostart: false,
    restart: 'never',
    steer: { mode: 'inbox' },
    createWorktree: false,
    dialect: 'auto',
    requiredLevel: 'package',
  };
  const store = createBoardStore();
  const now = Date.now();
  store.dispatch({ type: 'lanes/configured', lanes: [lane], settings: DEFAULT_SETTINGS, at: now });
  store.dispatchAll(await readBridgeOnce(lane, DEFAULT_SETTINGS, now));
  return selectLaneView(store.getState(), id);
}

const hook = (
  input: string,
  opts: { cwd?: string; env?: Record<string, string>; keepStdinOpen?: boolean } = {},
) =>
  runCli(cli, ['hook', '--config', configPath()], {
    cwd: opts.cwd ?? wt('a'),
    input,
    env: opts.env,
    keepStdinOpen: opts.keepStdinOpen,
  });

describe('laneboard hook (built CLI) with a fake Claude Code session', () => {
  it('records each payload with a receive time in the lane whose worktree holds its cwd', async () => {
    const turn = capturedTurn();
    for (const payload of turn) {
      const r = await hook(JSON.stringify(payload));
      expect(r).toMatchObject({ code: 0, stdout: '' });
    }
    const lines = hookLines('a');
    expect(lines).toHaveLength(turn.length);
    lines.forEach((line, i) => {
      const { received_at: receivedAt, ...rest } = line;
      expect(rest).toEqual(turn[i]);
      expect(Date.parse(String(receivedAt))).not.toBeNaN();
    });
    expect(hookLines('b')).toEqual([]);
    const v = await board('a');
    expect(v.agent).toMatchObject({ status: 'finished', dialect: 'claude-hooks' });
    expect(v.agent.notes.lastMessage).toBe('Tests ran. Done: 1 passed.');
    expect(v.blockers).toEqual([]);
  });

  it('a pending inbox message answers Stop with {"decision":"block"} once, and is acknowledged', async () => {
    const turn = capturedTurn();
    const stop = turn.find((p) => p.hook_event_name === 'Stop');
    mkdirSync(bridgeOf('a'), { recursive: true });
    const text = 'Also cover HTTP 503 in the retry helper, then stop.';
    appendFileSync(
      path.join(bridgeOf('a'), 'inbox.jsonl'),
      `${JSON.stringify({ id: 'msg-1', time: new Date().toISOString(), text })}\n`,
    );
    const submit = await hook(JSON.stringify(turn[1]));
    expect(submit).toMatchObject({ code: 0, stdout: '' });

    const first = await hook(JSON.stringify(stop));
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${JSON.stringify({ decision: 'block', reason: text })}\n`);
    expect(hookLines('a').at(-1)).toMatchObject({
      event: 'steer.acknowledged',
      data: { id: 'msg-1' },
    });

    // Claude Code continues; its next Stop has stop_hook_active and gets no answer.
    const second = await hook(JSON.stringify({ ...stop, stop_hook_active: true }));
    expect(second).toMatchObject({ code: 0, stdout: '' });
    const acks = hookLines('a').filter((l) => l.event === 'steer.acknowledged');
    expect(acks).toHaveLength(1);
    const v = await board('a');
    expect(v.agent).toMatchObject({ status: 'idle' });
    expect(v.recentEvents.map((e) => e.name)).toContain('steer.acknowledged');
  });

  it('Gemini CLI AfterAgent gets the same answer (block is its alias of deny: the reason becomes the next prompt)', async () => {
    mkdirSync(bridgeOf('a'), { recursive: true });
    const text = 'Then update the changelog.';
    appendFileSync(
      path.join(bridgeOf('a'), 'inbox.jsonl'),
      `${JSON.stringify({ id: 'gem-1', time: new Date().toISOString(), text })}\n`,
    );
    // Base fields + AfterAgent fields of the Gemini CLI hooks reference.
    const after = {
      session_id: 'g1',
      transcript_path: '/tmp/g1.json',
      cwd: wt('a'),
      hook_event_name: 'AfterAgent',
      timestamp: new Date().toISOString(),
      prompt: 'fix the bug',
      prompt_response: 'Fixed.',
      stop_hook_active: false,
    };
    const r = await hook(JSON.stringify(after));
    expect(r.stdout).toBe(`${JSON.stringify({ decision: 'block', reason: text })}\n`);
    expect(hookLines('a').at(-1)).toMatchObject({
      event: 'steer.acknowledged',
      data: { id: 'gem-1' },
    });
    const v = await board('a');
    expect(v.agent).toMatchObject({ status: 'idle' });
    expect(v.agent.notes.lastMessage).toBe('Fixed.');
  });

  it('LANEBOARD_BRIDGE_DIR wins over lanes.yaml (the supervisor sets it for its workers)', async () => {
    const own = path.join(dir, 'own-bridge');
    const r = await hook(JSON.stringify(capturedTurn()[0]), {
      cwd: dir,
      env: { LANEBOARD_BRIDGE_DIR: own },
    });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(path.join(own, 'hook-events.jsonl'), 'utf8')).toContain('"SessionStart"');
    expect(hookLines('a')).toEqual([]);
  });

  it('a session that wanders into another worktree stays in its lane and raises workspace_mismatch', async () => {
    const [start, submit] = capturedTurn();
    await hook(JSON.stringify(start));
    await hook(JSON.stringify(submit));
    const wandered = { ...submit, hook_event_name: 'PostToolUse', cwd: wt('b'), tool_name: 'Edit' };
    const r = await hook(JSON.stringify(wandered), { cwd: wt('b') });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(hookLines('b')).toEqual([]);
    expect(hookLines('a')).toHaveLength(3);
    const v = await board('a');
    expect(v.blockers.map((b) => [b.failureClass, b.source.line])).toEqual([
      ['workspace_mismatch', 3],
    ]);
    expect(v.blockers[0]?.detail).toBe(
      `agent wrote in ${wt('b')}, outside the lane's worktree ${wt('a')}`,
    );
  });
});

describe('laneboard hook never blocks or fails the agent', () => {
  it.each([
    ['bad JSON', '{"hook_event_name": "Stop", ', 'hook payload is not valid JSON'],
    ['empty stdin', '', 'hook received no payload on stdin'],
    ['a JSON array', '[1,2]', 'hook payload is not a JSON object'],
  ])(
    '%s: exit 0 quickly, recorded as laneboard.hook_error the board shows',
    async (_n, input, detail) => {
      const r = await hook(input);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.ms).toBeLessThan(2_500);
      expect(hookLines('a')).toEqual([
        expect.objectContaining({ event: 'laneboard.hook_error', detail }),
      ]);
      const v = await board('a');
      expect(v.lastEvent).toMatchObject({ name: 'laneboard.hook_error', detail });
      expect(v.problems).toEqual([]);
    },
  );

  it('unknown cwd: exit 0, nothing lands in a lane, the problem is kept in .laneboard/hook-errors.jsonl', async () => {
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lb-hook-outside-')));
    try {
      const payload = { ...capturedTurn()[0], cwd: outside, session_id: 'stranger' };
      const r = await hook(JSON.stringify(payload), { cwd: outside });
      expect(r).toMatchObject({ code: 0, stdout: '' });
      expect(r.stderr).toContain(`has a worktree containing ${outside}`);
      expect(hookLines('a')).toEqual([]);
      expect(hookLines('b')).toEqual([]);
      const errors = readFileSync(path.join(dir, '.laneboard', 'hook-errors.jsonl'), 'utf8');
      const recorded = JSON.parse(errors.trim()) as { event: string; detail: string };
      expect(recorded.event).toBe('laneboard.hook_error');
      expect(recorded.detail).toContain('(session stranger)');
      // Visible in the one-pass --json too, as a board notice.
      const snap = await runCli(cli, ['--json', '--config', configPath()], { cwd: dir, input: '' });
      const notices = (JSON.parse(snap.stdout) as { notices: { message: string }[] }).notices;
      expect(notices.map((n) => n.message).join('\n')).toMatch(/^hook: .*\(session stranger\)/m);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('stdin left open: a complete payload is handled at once; no payload gives up within ~2 s', async () => {
    const whole = await hook(JSON.stringify(capturedTurn()[0]), { keepStdinOpen: true });
    expect(whole).toMatchObject({ code: 0, stdout: '' });
    expect(hookLines('a')).toHaveLength(1);

    const nothing = await hook('', { keepStdinOpen: true });
    expect(nothing.code).toBe(0);
    expect(nothing.ms).toBeGreaterThanOrEqual(900);
    expect(nothing.ms).toBeLessThan(2_500);
    expect(hookLines('a').at(-1)).toMatchObject({ event: 'laneboard.hook_error' });
  });
});
