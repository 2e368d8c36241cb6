#!/usr/bin/env node
// A stand-in for a claw-code worker, for trying the claw-code recipe. Run it in the lane's
// worktree:
//   node claw-code-standin.mjs --events <bridge>/events.jsonl [--scenario green|trust|mismatch]
// (under a board-started lane `--events` defaults to $LANEBOARD_BRIDGE_DIR/events.jsonl).
// It writes what claw-code writes: the observer file `.claw/worker-state.json` (snake_case
// worker_id, status, is_ready, trust_gate_cleared, prompt_in_flight, last_event{seq,kind,
// status,detail,payload,timestamp}, updated_at in epoch seconds, seconds_since_update),
// replaced atomically, and LaneEvent lines (camelCase top level, `emittedAt` as epoch
// seconds in a string, snake_case `metadata` with seq 0) appended to the events file.
//   green:    spawning → ready → running; lane.started, lane.ready, lane.green (package,
//             on HEAD), lane.finished; worker finished.
//   trust:    the worker sits at a trust prompt for 75 s (a stall on the board).
//   mismatch: like green, plus branch.workspace_mismatch naming another workspace.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const bridgeDir = process.env.LANEBOARD_BRIDGE_DIR;
const eventsFile = arg('events', bridgeDir ? join(bridgeDir, 'events.jsonl') : null);
if (!eventsFile) {
  process.stderr.write(
    'usage: claw-code-standin.mjs --events <events.jsonl> [--scenario green|trust|mismatch]\n',
  );
  process.exit(2);
}
const scenario = arg('scenario', 'green');
const cwd = process.cwd();
const workerId = `worker_${Date.now().toString(16)}_1`;
const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
const branch = execFileSync('git', ['branch', '--show-current'], { cwd, encoding: 'utf8' }).trim();
let seq = 0;

function writeState(status, kind, detail, extra = {}, at = Date.now()) {
  const file = join(cwd, '.claw', 'worker-state.json');
  mkdirSync(dirname(file), { recursive: true });
  seq += 1;
  const secs = Math.floor(at / 1000);
  const state = {
    worker_id: workerId,
    status,
    is_ready: ['ready_for_prompt', 'running', 'finished'].includes(status),
    trust_gate_cleared: status !== 'trust_required' && status !== 'spawning',
    prompt_in_flight: status === 'running',
    last_event: { seq, kind, status, detail, payload: { cwd, ...extra }, timestamp: secs },
    updated_at: secs,
    seconds_since_update: Math.max(0, Math.floor((Date.now() - at) / 1000)),
  };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function emit(event, status, fields = {}) {
  const now = Date.now();
  const line = {
    event,
    status,
    emittedAt: String(Math.floor(now / 1000)),
    ...fields,
    metadata: { seq: 0, provenance: 'live_lane', timestamp_ms: now },
  };
  mkdirSync(dirname(eventsFile), { recursive: true });
  appendFileSync(eventsFile, `${JSON.stringify(line)}\n`);
}

if (scenario === 'trust') {
  writeState(
    'trust_required',
    'trust_required',
    'trust prompt detected',
    { type: 'trust_prompt' },
    Date.now() - 75_000,
  );
  process.exit(0);
}
writeState('spawning', 'spawning', 'worker starting');
emit('lane.started', 'running', { detail: 'worker started' });
writeState('ready_for_prompt', 'ready', 'ready for prompt');
emit('lane.ready', 'ready', { detail: 'ready for prompt' });
writeState('running', 'prompt_delivered', 'prompt delivered');
if (scenario === 'mismatch') {
  emit('branch.workspace_mismatch', 'blocked', {
    failureClass: 'workspace_mismatch',
    detail: `session workspace mismatch: expected ${cwd}, found /tmp/other-checkout`,
    data: {
      expectedWorkspaceRoot: cwd,
      actualWorkspaceRoot: '/tmp/other-checkout',
      sessionId: workerId,
    },
  });
}
emit('lane.green', 'green', {
  detail: 'package tests passed',
  data: { level: 'package', commit: head, passed: 3, failed: 0, command: 'node --test' },
});
emit('lane.finished', 'completed', {
  detail: `Finished successfully in commit ${head.slice(0, 7)}`,
  data: { result: 'ok', branch },
});
writeState('finished', 'finished', 'lane finished');
