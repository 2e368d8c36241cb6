/**
 * `laneboard hook`: a Claude Code hook command. Reads one hook payload (JSON) from stdin,
 * appends it with a `received_at` time to the lane's `hook-events.jsonl`, and — for a
 * `Stop` hook when the lane's inbox holds steering messages not yet acknowledged — prints
 * the hook's documented "continue with this instruction" answer
 * (`{"decision":"block","reason":"<message>"}`) and records `steer.acknowledged` for each
 * delivered message. It never blocks or fails the agent: every path exits 0 within ~2 s,
 * and problems are recorded as a `laneboard.hook_error` event the board shows.
 *
 * The lane is found by, in order: `--lane <id>` (with lanes.yaml), `LANEBOARD_BRIDGE_DIR`,
 * the payload's `cwd` inside a lane's worktree (lanes.yaml from `--config`).
 */
import { appendFile, mkdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { isInsidePath } from '../state/dialects/index.js';
import { pendingSteering } from './hook-inbox.js';

/** Options of the hook subcommand. */
export interface HookOptions {
  readonly configPath: string;
  readonly laneId?: string | undefined;
  /** Payload source (default process.stdin) and answer sink (default process.stdout), for tests. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
}

/** Payloads larger than this are not read whole (bytes). */
const MAX_PAYLOAD = 1024 * 1024;
/** Give up on stdin after this long (ms): the agent must never wait on us. */
const STDIN_TIMEOUT_MS = 1_500;
/** File the hook appends to inside the bridge dir. */
export const HOOK_EVENTS_FILE = 'hook-events.jsonl';

function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, STDIN_TIMEOUT_MS);
    stream.on('data', (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      if (size + b.length > MAX_PAYLOAD) return;
      size += b.length;
      chunks.push(b);
    });
    stream.on('end', done);
    stream.on('error', done);
  });
}

async function findBridge(opts: HookOptions, cwd: string | null): Promise<string | null> {
  const env = opts.env ?? process.env;
  if (opts.laneId) {
    const config = await loadConfig(opts.configPath);
    return config.lanes.find((l) => l.id === opts.laneId)?.bridge ?? null;
  }
  if (env.LANEBOARD_BRIDGE_DIR) return env.LANEBOARD_BRIDGE_DIR;
  if (!cwd) return null;
  const config = await loadConfig(opts.configPath);
  const real = await realpath(cwd).catch(() => cwd);
  for (const lane of config.lanes) {
    const roots = [lane.worktree, await realpath(lane.worktree).catch(() => lane.worktree)];
    if (isInsidePath(cwd, roots) || isInsidePath(real, roots)) return lane.bridge;
  }
  return null;
}

async function append(bridge: string, value: unknown): Promise<void> {
  await mkdir(bridge, { recursive: true });
  await appendFile(join(bridge, HOOK_EVENTS_FILE), `${JSON.stringify(value)}\n`);
}

function hookError(detail: string): Record<string, unknown> {
  return {
    event: 'laneboard.hook_error',
    status: null,
    emittedAt: new Date().toISOString(),
    detail,
  };
}

async function handle(opts: HookOptions): Promise<void> {
  const text = await readStdin(opts.stdin ?? process.stdin);
  let payload: Record<string, unknown> | null = null;
  let problem: string | null = null;
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) payload = v as Record<string, unknown>;
    else problem = 'hook payload is not a JSON object';
  } catch {
    problem =
      text.trim() === '' ? 'hook received no payload on stdin' : 'hook payload is not valid JSON';
  }
  const cwd = typeof payload?.cwd === 'string' ? payload.cwd : null;
  const bridge = await findBridge(opts, cwd);
  if (!bridge) {
    process.stderr.write(
      `laneboard hook: no lane matches ${cwd ?? 'this payload'}; nothing recorded\n`,
    );
    return;
  }
  if (!payload) {
    await append(bridge, hookError(problem ?? 'bad payload'));
    return;
  }
  await append(bridge, { ...payload, received_at: new Date().toISOString() });
  if (payload.hook_event_name !== 'Stop') return;
  const pending = await pendingSteering(bridge);
  if (pending.length === 0) return;
  const reason = pending.map((m) => m.text).join('\n\n');
  (opts.stdout ?? process.stdout).write(`${JSON.stringify({ decision: 'block', reason })}\n`);
  for (const m of pending) {
    await append(bridge, {
      event: 'steer.acknowledged',
      status: 'running',
      emittedAt: new Date().toISOString(),
      detail: 'delivered to the Claude Code session by its Stop hook',
      data: { id: m.id },
    });
  }
}

/** Run the hook. Always resolves 0 (a hook must never fail the agent). */
export async function runHook(opts: HookOptions): Promise<number> {
  try {
    await handle(opts);
  } catch (err) {
    process.stderr.write(`laneboard hook: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  return 0;
}
