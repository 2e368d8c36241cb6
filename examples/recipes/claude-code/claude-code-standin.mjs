#!/usr/bin/env node
// A stand-in for a Claude Code session, for trying the laneboard hook recipe without an
// API key. Run it in the lane's worktree:
//   node claude-code-standin.mjs --settings <settings.json> [--prompt "run the tests"]
// It plays one turn and runs the hook commands configured in <settings.json> exactly as
// Claude Code does: each matching `hooks.<Event>[].hooks[]` command runs through
// `/bin/sh -c` in the session's cwd with `CLAUDE_PROJECT_DIR` set and the hook input JSON
// on stdin (field set as recorded from Claude Code 2.1.330: session_id, transcript_path,
// cwd, prompt_id, permission_mode, effort, hook_event_name + per-event fields). A Stop hook
// answering {"decision":"block","reason":…} makes it continue with that instruction (one
// more tool call, then Stop again with stop_hook_active: true), as Claude Code does.
// Events: SessionStart, UserPromptSubmit, PreToolUse, PostToolUse, Stop, SessionEnd.
import { spawnSync, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const settingsFile = arg('settings', null);
if (!settingsFile) {
  process.stderr.write(
    'usage: claude-code-standin.mjs --settings <settings.json> [--prompt <text>] [--max-continues <n>]\n',
  );
  process.exit(2);
}
const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
const prompt = arg('prompt', 'run the tests');
const maxContinues = Number(arg('max-continues', '3'));
const cwd = process.cwd();
const sessionId = randomUUID();
const base = {
  session_id: sessionId,
  transcript_path: join(
    homedir(),
    '.claude',
    'projects',
    cwd.replace(/[/.]/g, '-'),
    `${sessionId}.jsonl`,
  ),
  cwd,
};
const promptId = randomUUID();
const turn = { prompt_id: promptId, permission_mode: 'default', effort: { level: 'medium' } };

function matches(group, toolName) {
  const m = group.matcher;
  if (m === undefined || m === '' || m === '*' || toolName === undefined) return true;
  try {
    return new RegExp(`^(?:${m})$`).test(toolName);
  } catch {
    return m === toolName;
  }
}

/** Run every hook command configured for `event`; returns the parsed JSON answers. */
function fire(event, fields) {
  const payload = { ...base, ...fields, hook_event_name: event };
  const answers = [];
  for (const group of settings.hooks?.[event] ?? []) {
    if (!matches(group, fields.tool_name)) continue;
    for (const h of group.hooks ?? []) {
      if (h.type !== 'command') continue;
      const r = spawnSync('/bin/sh', ['-c', h.command], {
        cwd,
        input: JSON.stringify(payload),
        env: { ...process.env, CLAUDE_PROJECT_DIR: cwd },
        timeout: (h.timeout ?? 60) * 1000,
        encoding: 'utf8',
      });
      const out = (r.stdout ?? '').trim();
      let answer = null;
      if (r.status === 0 && out.startsWith('{')) {
        try {
          answer = JSON.parse(out);
        } catch {
          answer = null;
        }
      }
      if (answer) answers.push(answer);
      process.stdout.write(
        `${event} -> exit ${r.status}${answer ? ` ${JSON.stringify(answer)}` : ''}\n`,
      );
      if (r.status !== 0 && r.stderr) process.stdout.write(`  hook stderr: ${r.stderr.trim()}\n`);
    }
  }
  return answers;
}

function toolCall(command, description) {
  const id = `toolu_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const input = { command, description };
  fire('PreToolUse', { ...turn, tool_name: 'Bash', tool_input: input, tool_use_id: id });
  const started = Date.now();
  let stdout = '';
  try {
    stdout = execFileSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8' }).trim();
  } catch (e) {
    stdout = String(e.stdout ?? '').trim();
  }
  fire('PostToolUse', {
    ...turn,
    tool_name: 'Bash',
    tool_input: input,
    tool_response: {
      stdout,
      stderr: '',
      interrupted: false,
      isImage: false,
      noOutputExpected: false,
    },
    tool_use_id: id,
    duration_ms: Date.now() - started,
  });
  return stdout;
}

fire('SessionStart', { source: 'startup' });
fire('UserPromptSubmit', { prompt_id: promptId, permission_mode: 'default', prompt });
const out = toolCall('echo 1 passed', 'run tests');
let last = `Tests ran. Done: ${out}.`;
let active = false;
for (let i = 0; i <= maxContinues; i++) {
  const answers = fire('Stop', {
    ...turn,
    stop_hook_active: active,
    last_assistant_message: last,
    background_tasks: [],
    session_crons: [],
  });
  const block = answers.find((a) => a.decision === 'block' && typeof a.reason === 'string');
  if (!block || i === maxContinues) break;
  process.stdout.write(`continuing with: ${block.reason}\n`);
  // The instruction is data: it goes into the tool's description, never into a shell.
  toolCall('echo steered', `follow the new instruction: ${block.reason.slice(0, 200)}`);
  last = `Done as asked: ${block.reason}`;
  active = true;
}
fire('SessionEnd', { reason: 'other' });
