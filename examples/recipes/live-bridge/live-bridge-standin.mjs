#!/usr/bin/env node
// A stand-in for a tmux-driven live Claude bridge, for trying the live-bridge recipe.
// Start it inside tmux, in the lane's worktree:
//   tmux new -d -s laneboard-recipe-live -c <worktree> \
//     node live-bridge-standin.mjs --bridge <lanes.yaml dir>/.laneboard/lanes/live-a
// It writes what such a bridge writes, atomically (tmp + rename), into the bridge dir:
// state.json `{lane, status: idle|running|blocked, session_id, tmux_session,
// transcript_path, turn{id,state,started_at}, updated_at}` (plus `reason:
// "claude_usage_limit"` and `reset_at` while blocked), rewritten every 5 s as a heartbeat,
// and result.json `{ok, sid, res, turn, finished_at}` after each turn. Each line typed into
// the session (what `tmux send-keys` delivers) is one turn; the line `/limit` simulates a
// usage limit that resets in an hour, `/quit` exits.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const bridge = arg('bridge', process.env.LANEBOARD_BRIDGE_DIR ?? null);
if (!bridge) {
  process.stderr.write('usage: live-bridge-standin.mjs --bridge <bridge dir>\n');
  process.exit(2);
}
mkdirSync(bridge, { recursive: true });
const sessionId = randomUUID();
const base = {
  lane: arg('lane', 'live-a'),
  session_id: sessionId,
  tmux_session: arg('session', 'laneboard-recipe-live'),
  transcript_path: join(
    homedir(),
    '.claude',
    'projects',
    process.cwd().replace(/[/.]/g, '-'),
    `${sessionId}.jsonl`,
  ),
};
let turn = 0;
let state = {
  status: 'idle',
  turn: { id: turn, state: 'waiting_prompt', started_at: new Date().toISOString() },
};

function write(name, value) {
  const file = join(bridge, name);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
function publish(patch) {
  state = { ...patch };
  write('state.json', { ...base, ...state, updated_at: new Date().toISOString() });
}

publish(state);
process.stdout.write(`live bridge ${sessionId} ready; type a prompt\n`);
const heartbeat = setInterval(() => publish(state), 5_000);

const rl = createInterface({ input: process.stdin });
rl.on('line', (raw) => {
  const line = raw.trim();
  if (line === '') return;
  if (line === '/quit') {
    clearInterval(heartbeat);
    publish({ ...state, status: 'idle' });
    process.exit(0);
  }
  turn += 1;
  const started = new Date().toISOString();
  if (line === '/limit') {
    publish({
      status: 'blocked',
      reason: 'claude_usage_limit',
      reset_at: new Date(Date.now() + 3_600_000).toISOString(),
      turn: { id: turn, state: 'waiting_reset', started_at: started },
    });
    return;
  }
  publish({ status: 'running', turn: { id: turn, state: 'working', started_at: started } });
  write('result.json', {
    ok: true,
    sid: sessionId,
    res: `Done: ${line}`,
    turn,
    finished_at: new Date().toISOString(),
  });
  publish({ status: 'idle', turn: { id: turn, state: 'waiting_prompt', started_at: started } });
  process.stdout.write(`turn ${turn} done: ${line}\n`);
});
for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(sig, () => process.exit(0));
