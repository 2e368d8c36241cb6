#!/usr/bin/env node
// A stand-in coding agent for the demo lanes. It behaves like a real worker: writes
// state.json as a heartbeat, runs the lane's real test command (`node --test`) in its
// worktree, writes result.json with the commit it tested, emits lane events, and reads
// steering messages from inbox.jsonl (acknowledging each with `steer.acknowledged`).
//
// Usage: node agent.mjs <role>   role: green | red | behind | crashy | blocked
import { execFileSync, spawnSync } from 'node:child_process';
import { emit, readInbox, skipOldInbox, writeDoc } from './bridge.mjs';

const role = process.argv[2] ?? 'green';
const worktree = process.env.LANEBOARD_WORKTREE ?? process.cwd();
const sessionId = `demo-${role}-${process.pid}`;
let status = 'spawning';
let phase = 'starting up';
let blocker = null;

function head() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: worktree, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function heartbeat() {
  writeDoc('state.json', {
    schema: 'laneboard.state/1',
    status,
    phase,
    sessionId,
    workspaceRoot: worktree,
    headCommit: head(),
    blocker,
    pid: process.pid,
    updatedAt: new Date().toISOString(),
  });
}

function set(nextStatus, nextPhase, nextBlocker = null) {
  status = nextStatus;
  phase = nextPhase;
  blocker = nextBlocker;
  heartbeat();
}

/** Run the lane's real tests and report them. Returns true when green. */
function runTests() {
  set('running', 'running tests: node --test');
  const commit = head();
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap'], {
    cwd: worktree,
    encoding: 'utf8',
  });
  const out = `${r.stdout}${r.stderr}`;
  const passed = Number(/^# pass (\d+)/m.exec(out)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)/m.exec(out)?.[1] ?? 0);
  const green = r.status === 0;
  process.stdout.write(out);
  writeDoc('result.json', {
    schema: 'laneboard.result/1',
    ok: green,
    finishedAt: new Date().toISOString(),
    summary: green ? `${passed} tests pass` : `${failed} of ${passed + failed} tests fail`,
    tests: {
      status: green ? 'green' : 'red',
      level: 'package',
      passed,
      failed,
      skipped: 0,
      command: 'node --test',
      exitCode: r.status,
      commit,
    },
    failureClass: green ? null : 'test',
    detail: green ? null : (/^not ok \d+ - (.*)$/m.exec(out)?.[1] ?? 'tests failed'),
    commit: { commit, branch: process.env.LANEBOARD_LANE_ID },
  });
  emit(green ? 'lane.green' : 'lane.red', {
    status: green ? 'green' : 'red',
    failureClass: green ? undefined : 'test',
    detail: green ? `${passed} passed` : `${failed} failing`,
    data: { level: 'package', passed, failed, commit },
  });
  return green;
}

function acknowledge(messages, onMessage) {
  for (const m of messages) {
    console.log(`steering message ${m.id}: ${m.text}`);
    emit('steer.acknowledged', {
      status: 'running',
      detail: `received: ${String(m.text).slice(0, 80)}`,
      data: { id: m.id },
    });
    onMessage?.(m);
  }
}

skipOldInbox();
set('spawning', 'starting up');
emit('lane.started', {
  status: 'running',
  detail: `demo agent (${role}) started, pid ${process.pid}`,
});

const tick = (fn, ms) => setInterval(fn, ms);

if (role === 'crashy') {
  set('running', 'doing work that will crash');
  setTimeout(() => {
    console.error('fatal: demo agent crashed on purpose (exit 1)');
    emit('lane.failed', {
      status: 'failed',
      failureClass: 'tool_runtime',
      detail: 'worker crashed (exit 1)',
    });
    process.exit(1);
  }, 4_000);
  tick(() => acknowledge(readInbox()), 500);
} else if (role === 'blocked') {
  set('blocked', 'waiting for the operator', {
    failureClass: 'input_required',
    detail: 'which retry policy should I implement: linear or exponential?',
    since: new Date().toISOString(),
    nextAction: 'answer with s (steer), e.g. "exponential"',
  });
  emit('lane.blocked', {
    status: 'blocked',
    failureClass: 'input_required',
    detail: 'waiting for an answer: linear or exponential retry?',
  });
  const timer = tick(() => {
    acknowledge(readInbox(), (m) => {
      clearInterval(timer);
      set('running', `implementing: ${String(m.text).slice(0, 60)}`);
      emit('lane.ready', { status: 'running', detail: 'unblocked by steering message' });
      setTimeout(() => {
        runTests();
        set('finished', 'done');
        emit('lane.finished', { status: 'completed', detail: 'finished after steering' });
        tick(() => acknowledge(readInbox()), 500);
      }, 1_000);
    });
  }, 500);
} else {
  setTimeout(() => {
    set('running', 'implementing the change');
    setTimeout(() => {
      runTests();
      set('finished', role === 'red' ? 'tests fail; waiting for instructions' : 'done');
      emit('lane.finished', { status: 'completed', detail: 'turn finished' });
    }, 1_500);
  }, 1_000);
  tick(
    () =>
      acknowledge(readInbox(), (m) =>
        set(status, `instruction received: ${String(m.text).slice(0, 60)}`),
      ),
    500,
  );
}

// Heartbeat every 5 s, like a live agent; exit cleanly on SIGTERM.
tick(heartbeat, 5_000);
process.on('SIGTERM', () => {
  set('finished', 'stopped by supervisor');
  process.exit(0);
});
