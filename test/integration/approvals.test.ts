/**
 * Board approvals end to end with real processes and files: the BUILT `laneboard hook`
 * gets a PermissionRequest payload on a lane with `approvals: board`, records the request
 * in the lane's bridge and waits; a real runtime (watchers, store, control endpoint on a
 * real Unix socket) shows it and answers through `Controls.approve`, the endpoint, or the
 * `laneboard approve|deny` verbs; the hook prints the Claude Code / Codex answer and
 * records the receipt. Also: no answer in time ⇒ no decision printed; the decision and the
 * pending request survive a board restart; lanes without `approvals: board` never wait.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { hostRuntime, type HostedRuntime } from '../../src/runtime/control/host.js';
import { pendingApproval } from '../../src/state/dialects/index.js';
import { selectLaneView } from '../../src/state/selectors.js';
import { twoLaneProject } from '../helpers/git-fixtures.js';
import { builtCli, removeBuiltCli, runCli, type CliRun } from '../helpers/hook-cli.js';

let cli = '';
let dir = '';
let hosted: HostedRuntime | null = null;
const wt = (id: string) => path.join(dir, 'wt', id);
const bridgeOf = (id: string) => path.join(dir, '.laneboard', 'lanes', id);
const configPath = () => path.join(dir, 'lanes.yaml');

beforeAll(async () => {
  cli = await builtCli();
}, 120_000);
afterAll(removeBuiltCli);

beforeEach(() => {
  dir = twoLaneProject('lb-approve-', ', approvals: board');
});
afterEach(async () => {
  await hosted?.dispose();
  hosted = null;
  rmSync(dir, { recursive: true, force: true });
});

async function startBoard(): Promise<HostedRuntime> {
  const config = await loadConfig(configPath());
  const h = await hostRuntime(config, 'serve', { autostart: false });
  await h.runtime.start();
  await h.runtime.observed();
  return h;
}

function permissionPayload(id: string, command = 'rm -rf build'): string {
  return JSON.stringify({
    session_id: 'sess-approvals',
    transcript_path: path.join(dir, 'transcript.jsonl'),
    cwd: wt(id),
    permission_mode: 'default',
    hook_event_name: 'PermissionRequest',
    tool_name: 'Bash',
    tool_input: { command, description: 'clean the build' },
  });
}

/** Start the built hook for a PermissionRequest on lane `id` (not awaited). */
function hookRun(id: string, timeoutS: number, command?: string): Promise<CliRun> {
  return runCli(
    cli,
    ['hook', '--config', configPath(), '--lane', id, '--timeout', String(timeoutS)],
    { cwd: wt(id), input: permissionPayload(id, command), timeoutMs: 60_000 },
  );
}

function hookLines(id: string): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(path.join(bridgeOf(id), 'hook-events.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function pending(h: HostedRuntime, id: string) {
  h.runtime.flush();
  return pendingApproval(selectLaneView(h.runtime.store.getState(), id).blockers, Date.now());
}

function blockerOf(h: HostedRuntime, id: string) {
  h.runtime.flush();
  return selectLaneView(h.runtime.store.getState(), id).blockers.find(
    (b) => b.failureClass === 'permission',
  );
}

const ALLOW =
  '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}';

describe('approvals: board', () => {
  it('shows the request on the lane, and an allow from the board reaches the agent with a receipt', async () => {
    hosted = await startBoard();
    const h = hosted;
    const run = hookRun('a', 30);
    const req = await vi.waitFor(
      () => {
        const p = pending(h, 'a');
        if (p === null) throw new Error('no pending request yet');
        return p;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(req.detail).toBe('permission requested: Bash: rm -rf build');
    expect(req.id).toMatch(/^req-[0-9a-f]{16}$/);
    expect(blockerOf(h, 'a')?.nextAction).toMatch(/laneboard approve\|deny/);

    const answered = await h.runtime.controls.approve?.('a', { behavior: 'allow' });
    expect(answered).toEqual({ ok: true, id: req.id, detail: req.detail });
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(ALLOW);

    const receipt = hookLines('a').find((l) => l.event === 'approval.answered');
    expect(receipt?.data).toMatchObject({ id: req.id, behavior: 'allow', by: 'board' });
    // The receipt clears the request on the board; the agent runs on.
    await vi.waitFor(() => expect(blockerOf(h, 'a')).toBeUndefined(), { timeout: 10_000 });
    h.runtime.flush();
    expect(selectLaneView(h.runtime.store.getState(), 'a').agent.status).toBe('running');
    // A second answer finds nothing waiting.
    const again = await h.runtime.controls.approve?.('a', { behavior: 'allow' });
    expect(again?.ok).toBe(false);
  }, 60_000);

  it('denies with the operator message through the laneboard deny verb; approve with no request exits 1', async () => {
    hosted = await startBoard();
    const h = hosted;
    const env = { HOME: dir };
    const none = await runCli(cli, ['approve', 'a', '--config', configPath()], { cwd: dir, env });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no permission request is waiting for the board on a/);
    const unknown = await runCli(cli, ['deny', 'zz', '--config', configPath()], { cwd: dir, env });
    expect(unknown.code).toBe(2);

    const run = hookRun('a', 30, 'git push --force');
    await vi.waitFor(
      () => {
        if (pending(h, 'a') === null) throw new Error('no pending request yet');
      },
      { timeout: 15_000, interval: 50 },
    );
    const wrong = await runCli(
      cli,
      ['deny', 'a', '--request', 'req-0000000000000000', '--config', configPath()],
      { cwd: dir, env },
    );
    expect(wrong.code).toBe(1);
    const denied = await runCli(
      cli,
      ['deny', 'a', '--message', 'never force-push here', '--config', configPath()],
      { cwd: dir, env },
    );
    expect(denied.stderr).toBe('');
    expect(denied.code).toBe(0);
    expect(denied.stdout).toMatch(
      /^denied req-[0-9a-f]{16} on a: permission requested: Bash: git push --force\n$/,
    );
    const r = await run;
    expect(JSON.parse(r.stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PermissionRequest',
        decision: { behavior: 'deny', message: 'never force-push here' },
      },
    });
    const receipt = hookLines('a').find((l) => l.event === 'approval.answered');
    expect(receipt?.data).toMatchObject({
      behavior: 'deny',
      message: 'never force-push here',
      by: 'verb',
    });
  }, 60_000);

  it('with no answer in time prints no decision, records approval.expired and leaves the prompt to the agent', async () => {
    hosted = await startBoard();
    const h = hosted;
    // --timeout 3: waits 3 s minus the 2 s margin.
    const r = await hookRun('a', 3);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.ms).toBeLessThan(3_000 + 2_000);
    const lines = hookLines('a');
    const req = lines.find((l) => l.hook_event_name === 'PermissionRequest');
    const expired = lines.find((l) => l.event === 'approval.expired');
    expect(expired?.data).toEqual({
      id: (req?.laneboard_approval as { id: string } | undefined)?.id,
    });
    await vi.waitFor(
      () => {
        const b = blockerOf(h, 'a');
        expect(b?.detail).toBe('permission requested: Bash: rm -rf build');
        expect(b?.approval).toBeUndefined();
      },
      { timeout: 10_000 },
    );
    expect((await h.runtime.controls.approve?.('a', { behavior: 'allow' }))?.ok).toBe(false);
  }, 60_000);

  it('the pending request and the decision survive a board restart', async () => {
    const first = await startBoard();
    hosted = first;
    const run = hookRun('a', 40);
    const req = await vi.waitFor(
      () => {
        const p = pending(first, 'a');
        if (p === null) throw new Error('no pending request yet');
        return p;
      },
      { timeout: 15_000, interval: 50 },
    );
    await first.dispose();
    hosted = null;
    // A new board reads the request back from the bridge and answers it.
    const second = await startBoard();
    hosted = second;
    expect(pending(second, 'a')?.id).toBe(req.id);
    expect((await second.runtime.controls.approve?.('a', { behavior: 'allow' }))?.ok).toBe(true);
    const r = await run;
    expect(r.stdout.trim()).toBe(ALLOW);
    await second.dispose();
    hosted = null;
    // The decision outlives the board that wrote it: a third board sees it answered.
    const third = await startBoard();
    hosted = third;
    expect(pending(third, 'a')).toBeNull();
    expect(blockerOf(third, 'a')).toBeUndefined();
  }, 90_000);

  it('lanes without approvals: board record the request and do not wait', async () => {
    hosted = await startBoard();
    const h = hosted;
    const r = await hookRun('b', 600);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.ms).toBeLessThan(10_000);
    const line = hookLines('b').find((l) => l.hook_event_name === 'PermissionRequest');
    expect(line).toBeDefined();
    expect(line?.laneboard_approval).toBeUndefined();
    await vi.waitFor(() => expect(blockerOf(h, 'b')?.detail).toMatch(/Bash: rm -rf build/), {
      timeout: 10_000,
    });
    expect(pending(h, 'b')).toBeNull();
  }, 60_000);
});
