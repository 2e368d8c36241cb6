/**
 * `laneboard hook`: a Claude Code / Codex CLI hook command (and Codex's `notify` program,
 * whose payload comes as the last argument; ../state/dialects/codex.ts). Reads one hook
 * payload (JSON) from stdin,
 * appends it with a `received_at` time (ISO-8601) to the lane's `hook-events.jsonl`, and —
 * for a `Stop` hook when the lane's inbox holds steering messages not yet acknowledged —
 * prints the hook's documented "continue with this instruction" answer
 * (`{"decision":"block","reason":"<message>"}`, one line) and records `steer.acknowledged`
 * for each delivered message. It never blocks or fails the agent: every path resolves 0
 * within ~2 s (stdin is read for at most 1 s, the whole run is capped), and problems are
 * recorded as a `laneboard.hook_error` event in the lane's hook events file (shown as the
 * lane's last event), or — when no lane can be found — in `<config dir>/.laneboard/
 * hook-errors.jsonl`, and on stderr. Lane routing: ./hook-route.ts. At a `SessionEnd` whose
 * rollout shows a failed last Codex turn, the failure is recorded first (../runtime/codex-rollout.ts);
 * the same for a Claude Code transcript's API error or interrupt (../runtime/claude-transcript-read.ts).
 */
import { join } from 'node:path';
import { isCodexNotify, notifyAsHook } from '../state/dialects/codex.js';
import { codexTurnFailureLine } from '../runtime/codex-rollout.js';
import { claudeTranscriptLine } from '../runtime/claude-transcript-read.js';
import {
  answerRequest,
  DEFAULT_HOOK_TIMEOUT_S,
  newRequest,
  waitBudgetMs,
  wantsBoard,
  withRequest,
} from './hook-approval.js';
import { pendingSteering, recordDelivered } from './hook-inbox.js';
import { routeHook } from './hook-route.js';
import { errorMessage } from '../state/error-text.js';

/** Options of the hook subcommand. */
export interface HookOptions {
  readonly configPath: string;
  readonly laneId?: string | undefined;
  /**
   * The payload as a command-line argument (Codex's `notify` program gets its JSON as the
   * last argv entry); when given, stdin is not read.
   */
  readonly payloadArg?: string | undefined;
  /** Payload source (default process.stdin) and answer sink (default process.stdout), for tests. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Working directory of the hook (default process.cwd()). */
  readonly cwd?: string;
  /**
   * The timeout (seconds) this hook was installed with (`--timeout`): a PermissionRequest
   * that waits for the board ends before it (./hook-approval.ts). @default 10
   */
  readonly timeoutS?: number | undefined;
}

/** Payloads larger than this are not read whole (bytes). */
const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Give up on stdin after this long (ms): the agent must never wait on us. */
const STDIN_TIMEOUT_MS = 1_000;
/** Hard cap of one hook run (ms), stdin included; the answer is dropped past it. */
const HOOK_DEADLINE_MS = 1_800;
import { STATE_FILE } from '../state/state-files.js';
import { appendLine as appendSafe } from '../runtime/bridge/safe-write.js';
import { rotateIfLarge } from '../runtime/bridge/events-rotation.js';
import { prepareBridgeDir } from '../runtime/bridge/own-dir.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';

/** What stdin held: the text (bounded), and whether it was cut at the size cap. */
interface StdinRead {
  readonly text: string;
  readonly oversize: boolean;
}

function looksComplete(text: string): boolean {
  const t = text.trim();
  if (!t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/**
 * Read stdin until EOF, until it holds one complete JSON value (Claude Code closes stdin,
 * but a caller that keeps it open must not stall us), or for at most STDIN_TIMEOUT_MS.
 */
function readStdin(stream: NodeJS.ReadableStream): Promise<StdinRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversize = false;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', done);
      stream.removeListener('error', done);
      stream.pause();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), oversize });
    };
    const onData = (c: Buffer | string): void => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      if (size + b.length > MAX_PAYLOAD_BYTES) {
        oversize = true;
        done();
        return;
      }
      size += b.length;
      chunks.push(b);
      if (looksComplete(Buffer.concat(chunks).toString('utf8'))) done();
    };
    const timer = setTimeout(done, STDIN_TIMEOUT_MS);
    stream.on('data', onData);
    stream.on('end', done);
    stream.on('error', done);
  });
}

async function appendLine(dir: string, file: string, value: unknown): Promise<void> {
  await prepareBridgeDir(dir);
  // One append per line (O_APPEND): concurrent hooks never interleave inside a line; never
  // through a symlink, all or nothing (../runtime/bridge/safe-write.ts). A replaced trap is
  // reported on the lane as a hook error event in the new file.
  // Bounded events files: rotate to <file>.1 past 32 MiB before appending, so the new file
  // always holds the newest line (../runtime/bridge/events-rotation.ts).
  if (file === BRIDGE_FILE.hookEvents) await rotateIfLarge(join(dir, file)).catch(() => false);
  const r = await appendSafe(join(dir, file), JSON.stringify(value));
  if (r.replaced !== null)
    await appendSafe(join(dir, file), JSON.stringify(hookErrorEvent(r.replaced, null)));
}

/** A `laneboard.hook_error` event (native LaneEvent shape) with a bounded preview of the input. */
function hookErrorEvent(detail: string, input: string | null): Record<string, unknown> {
  return {
    event: 'laneboard.hook_error',
    status: null,
    emittedAt: new Date().toISOString(),
    detail,
    data: input === null ? {} : { input: input.slice(0, 200), inputBytes: input.length },
  };
}

function parsePayload(read: StdinRead): { payload: Record<string, unknown> } | { problem: string } {
  if (read.oversize) return { problem: `hook payload larger than ${MAX_PAYLOAD_BYTES} bytes` };
  if (read.text.trim() === '') return { problem: 'hook received no payload on stdin' };
  try {
    const v: unknown = JSON.parse(read.text);
    if (v && typeof v === 'object' && !Array.isArray(v))
      return { payload: v as Record<string, unknown> };
    return { problem: 'hook payload is not a JSON object' };
  } catch {
    return { problem: 'hook payload is not valid JSON' };
  }
}

async function deliverSteering(bridge: string, out: NodeJS.WritableStream): Promise<void> {
  const pending = await pendingSteering(bridge);
  if (pending.length === 0) return;
  const reason = pending.map((m) => m.text).join('\n\n');
  out.write(`${JSON.stringify({ decision: 'block', reason })}\n`);
  for (const m of pending) {
    await appendLine(bridge, BRIDGE_FILE.hookEvents, {
      event: 'steer.acknowledged',
      status: 'running',
      emittedAt: new Date().toISOString(),
      detail: "delivered to the agent's session by its Stop hook",
      data: { id: m.id },
    });
  }
  await recordDelivered(bridge, pending);
}

/** What is left to do after the capped part of a run: a board approval's wait. */
type Continuation = (() => Promise<void>) | undefined;

async function handle(opts: HookOptions): Promise<Continuation> {
  const env = opts.env ?? process.env;
  const read =
    opts.payloadArg !== undefined
      ? {
          text: opts.payloadArg.slice(0, MAX_PAYLOAD_BYTES + 1),
          oversize: opts.payloadArg.length > MAX_PAYLOAD_BYTES,
        }
      : await readStdin(opts.stdin ?? process.stdin);
  const parsed = parsePayload(read);
  const given = 'payload' in parsed ? parsed.payload : null;
  const payload = given !== null && isCodexNotify(given) ? notifyAsHook(given) : given;
  const str = (k: string): string | null =>
    payload && typeof payload[k] === 'string' ? payload[k] : null;
  const { route, problem, stateDir } = await routeHook({
    configPath: opts.configPath,
    laneId: opts.laneId,
    env,
    payloadCwd: str('cwd'),
    sessionId: str('session_id'),
    processCwd: opts.cwd ?? process.cwd(),
  });
  if (!route) {
    const why = 'problem' in parsed ? `${parsed.problem}; ${problem ?? ''}` : (problem ?? '');
    process.stderr.write(`laneboard hook: ${why}; payload not recorded in any lane\n`);
    if (stateDir) await appendLine(stateDir, STATE_FILE.hookErrors, hookErrorEvent(why, read.text));
    return;
  }
  if (!payload) {
    const detail = 'problem' in parsed ? parsed.problem : 'bad payload';
    process.stderr.write(`laneboard hook: ${detail}\n`);
    await appendLine(route.bridge, BRIDGE_FILE.hookEvents, hookErrorEvent(detail, read.text));
    return;
  }
  const now = new Date().toISOString();
  const transcript = str('transcript_path');
  if (payload.hook_event_name === 'SessionEnd' && transcript !== null) {
    // A failed Codex turn fires no hook: its rollout's task_complete.error is the record.
    const failed = await codexTurnFailureLine(transcript, route.bridge, now);
    if (failed !== null) await appendLine(route.bridge, BRIDGE_FILE.hookEvents, failed);
    // Claude Code: an Esc interrupt fires no hook, a StopFailure hook may have been killed.
    const ended = await claudeTranscriptLine(transcript, str('session_id'), route.bridge, now);
    if (ended !== null) await appendLine(route.bridge, BRIDGE_FILE.hookEvents, ended);
  }
  const recorded = { ...payload, received_at: now };
  if (payload.hook_event_name === 'PermissionRequest' && wantsBoard(route.approvals, env)) {
    // approvals: board — record the request, then wait for the operator (./hook-approval.ts).
    const waitMs = waitBudgetMs(opts.timeoutS ?? DEFAULT_HOOK_TIMEOUT_S);
    const request = newRequest(Date.now(), waitMs);
    await appendLine(route.bridge, BRIDGE_FILE.hookEvents, withRequest(recorded, request));
    return () =>
      answerRequest({
        bridge: route.bridge,
        id: request.id,
        waitMs,
        out: opts.stdout ?? process.stdout,
        record: (v) => appendLine(route.bridge, BRIDGE_FILE.hookEvents, v),
      });
  }
  await appendLine(route.bridge, BRIDGE_FILE.hookEvents, recorded);
  // Claude Code / Codex Stop, Gemini CLI AfterAgent: the same `{"decision":"block",…}`.
  if (payload.hook_event_name === 'Stop' || payload.hook_event_name === 'AfterAgent')
    await deliverSteering(route.bridge, opts.stdout ?? process.stdout);
  return undefined;
}

/**
 * Run the hook. Always resolves 0 (a hook must never fail the agent), at the latest
 * HOOK_DEADLINE_MS after it started — except a PermissionRequest waiting for the board,
 * which then waits up to its own bound (./hook-approval.ts); errors go to stderr.
 */
export async function runHook(opts: HookOptions): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write(`laneboard hook: gave up after ${HOOK_DEADLINE_MS} ms\n`);
      resolve();
    }, HOOK_DEADLINE_MS);
  });
  try {
    const next = await Promise.race([handle(opts), deadline]);
    clearTimeout(timer);
    if (next !== undefined) await next();
  } catch (err) {
    process.stderr.write(`laneboard hook: ${errorMessage(err)}\n`);
  } finally {
    clearTimeout(timer);
  }
  return 0;
}
