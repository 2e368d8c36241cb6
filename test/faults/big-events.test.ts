/**
 * Fault 1 (issue #12): unbounded event files. A board's cold start and `laneboard --json`
 * read a lane's current state from the end of its events file (a bounded window), so a
 * 1 M-line `hook-events.jsonl` costs about what an empty one does; `laneboard hook`
 * rotates the file past 32 MiB, and the state survives the rotation. Real files, the real
 * built CLI (`--json`, `hook`) as child processes; the figures are in `npm run bench`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventsTail } from '../../src/runtime/bridge/events-tail.js';
import { EVENTS_ROTATE_BYTES } from '../../src/runtime/bridge/events-rotation.js';
import { laneboardBin } from '../helpers/e2e-cli.js';
import { supervisorHarness } from '../helpers/supervisor-helpers.js';

const harness = supervisorHarness();

/** Write `lines` hook payloads (tool use in `cwd`), then one permission Notification. */
function writeHookEvents(file: string, lines: number, cwd: string): void {
  const fd = openSync(file, 'w');
  try {
    let batch: string[] = [];
    for (let i = 0; i < lines; i++) {
      batch.push(
        JSON.stringify({
          session_id: 's1',
          hook_event_name: i % 2 === 0 ? 'PreToolUse' : 'PostToolUse',
          tool_name: 'Bash',
          cwd,
          received_at: new Date(1.7e12 + i * 1000).toISOString(),
        }),
      );
      if (batch.length === 5000) {
        writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
    writeSync(
      fd,
      `${JSON.stringify({ session_id: 's1', hook_event_name: 'Notification', message: 'Claude needs your permission to use Bash', cwd })}\n`,
    );
  } finally {
    closeSync(fd);
  }
}

/** A repo with two lane worktrees and a lanes.yaml; returns paths. */
function project() {
  const root = harness.tempRoot();
  const repo = join(root, 'repo');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
  };
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { env });
  execFileSync('git', ['-C', repo, 'commit', '-q', '--allow-empty', '-m', 'init'], { env });
  for (const id of ['big', 'empty']) {
    execFileSync('git', ['-C', repo, 'worktree', 'add', '-q', '-b', id, join(root, id)], { env });
    mkdirSync(join(root, '.laneboard', 'lanes', id), { recursive: true });
  }
  writeFileSync(
    join(root, 'lanes.yaml'),
    'defaults: { repo: ./repo }\nlanes:\n  - { id: big, worktree: ./big, branch: big }\n  - { id: empty, worktree: ./empty, branch: empty }\n',
  );
  return { root, bridge: (id: string) => join(root, '.laneboard', 'lanes', id) };
}

interface SnapLane {
  id: string;
  blockers: { failureClass: string; source: { line: number | null } }[];
  lastEvent: unknown;
  agent: unknown;
}

function json(root: string): { lanes: SnapLane[] } {
  const out = execFileSync(
    process.execPath,
    [laneboardBin(), '--config', join(root, 'lanes.yaml'), '--json'],
    {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(out) as { lanes: SnapLane[] };
}

describe('unbounded event files (fault 1)', () => {
  it('--json on a 300 000-line hook-events.jsonl reads only its end and shows the current blocker', () => {
    const p = project();
    writeHookEvents(join(p.bridge('big'), 'hook-events.jsonl'), 300_000, join(p.root, 'big'));
    writeFileSync(join(p.bridge('empty'), 'hook-events.jsonl'), '');
    expect(statSync(join(p.bridge('big'), 'hook-events.jsonl')).size).toBeGreaterThan(30e6);
    const snap = json(p.root);
    const big = snap.lanes.find((l) => l.id === 'big');
    expect(big?.blockers).toEqual([
      expect.objectContaining({
        failureClass: 'permission',
        source: expect.objectContaining({ line: null }) as unknown,
      }),
    ]);
    expect(snap.lanes.find((l) => l.id === 'empty')?.blockers).toEqual([]);
  });

  it('a cold tail yields only the window (bounded lines and memory), then every new line', async () => {
    const root = harness.tempRoot();
    const file = join(root, 'hook-events.jsonl');
    writeHookEvents(file, 100_000, root);
    const tail = new EventsTail(file, 'hook-events.jsonl', { coldWindowBytes: 64 * 1024 });
    const first = await tail.read();
    expect(first.lines.length).toBeGreaterThan(100);
    expect(first.lines.length).toBeLessThan(1000);
    expect(first.lines.every((l) => l.ok)).toBe(true);
    expect(first.lines.at(-1)).toMatchObject({
      ok: true,
      line: 0,
      value: { hook_event_name: 'Notification' },
    });
    writeFileSync(file, `${JSON.stringify({ hook_event_name: 'Stop', session_id: 's1' })}\n`, {
      flag: 'a',
    });
    const next = await tail.read();
    expect(next.lines).toEqual([
      expect.objectContaining({ ok: true, value: { hook_event_name: 'Stop', session_id: 's1' } }),
    ]);
  });

  it('laneboard hook rotates hook-events.jsonl past 32 MiB; the state before the rotation is still shown', () => {
    const p = project();
    const file = join(p.bridge('big'), 'hook-events.jsonl');
    const lines = Math.ceil(EVENTS_ROTATE_BYTES / 140) + 5000;
    writeHookEvents(file, lines, join(p.root, 'big'));
    expect(statSync(file).size).toBeGreaterThan(EVENTS_ROTATE_BYTES);
    const r = spawnSync(process.execPath, [laneboardBin(), 'hook'], {
      input: JSON.stringify({
        session_id: 's1',
        hook_event_name: 'PreToolUse',
        tool_name: 'Read',
        cwd: join(p.root, 'big'),
      }),
      env: { ...process.env, LANEBOARD_BRIDGE_DIR: p.bridge('big') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(statSync(file).size).toBeLessThan(1000);
    // The Notification is now in .1, before the rotation: a new board still shows it as the
    // lane's last meaningful event (the PreToolUse after it cleared the permission blocker).
    const big = json(p.root).lanes.find((l) => l.id === 'big');
    expect(big?.lastEvent).toMatchObject({
      name: 'hook.Notification',
      detail: 'Claude needs your permission to use Bash',
      source: { file: 'hook-events.jsonl.1' },
    });
    expect(big?.agent).toMatchObject({
      phase: 'Read',
      source: { file: 'hook-events.jsonl', line: 1 },
    });
  });
});
