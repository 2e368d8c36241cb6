/**
 * `laneboard crew-steer`: hand a steering message to a pi-crew task through its mailbox
 * and confirm delivery from pi-crew's own records — meant as a lane's `steer: {command:
 * […]}` (lanes.yaml), with the lane's `bridge` set to the pi-crew run's state root.
 *
 * pi-crew's mailbox (its `src/state/coordination/mailbox.ts`): per task
 * `<stateRoot>/mailbox/tasks/<taskId>/inbox.jsonl` and `outbox.jsonl`, one MailboxMessage
 * per line (`{id, runId, direction, from, to, body, createdAt, status, kind?, taskId?,
 * deliveryMode?, replyTo?}`), and `<stateRoot>/mailbox/delivery.json` =
 * `{"messages": {<id>: "queued"|"delivered"|"acknowledged"}, "updatedAt"}`.
 *
 * Steps: append one `kind: "steer"` message (status `queued`, from `laneboard`) to the
 * task's inbox (one O_APPEND write, never through a symlink); then, for at most `waitMs`,
 * poll `delivery.json` (status delivered or acknowledged) and the task's outbox (a message
 * whose `replyTo` is our id). Once confirmed, record `steer.acknowledged` (`data.id`, the
 * laneboard message id) in `<stateRoot>/hook-events.jsonl`, laneboard's own file, so the
 * board shows the message delivered. Not confirmed in time: the message stays queued, no
 * acknowledgement is written (the board shows it undelivered after `steer_timeout`).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendLine } from '../runtime/bridge/safe-write.js';
import { BRIDGE_FILE } from '../state/bridge-files.js';

/** Options of one hand-over. */
export interface CrewSteerOptions {
  /** The pi-crew run's state root (absolute). */
  readonly stateRoot: string;
  /** The task whose mailbox gets the message (pi-crew task ids: `[\w.-]+`, not `..`). */
  readonly taskId: string;
  /** laneboard's message id (also the mailbox message id). */
  readonly id: string;
  readonly text: string;
  /** How long to wait for the delivery receipt (ms). */
  readonly waitMs: number;
  /** Poll interval (ms). */
  readonly pollMs?: number;
}

/** How the hand-over ended. */
export type CrewSteerOutcome = 'delivered' | 'acknowledged' | 'replied' | 'queued';

const TASK_RE = /^[\w.-]+$/;

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

async function runIdOf(stateRoot: string): Promise<string> {
  const m = await readJson(join(stateRoot, 'manifest.json'));
  const id = m && typeof m === 'object' ? (m as Record<string, unknown>).runId : undefined;
  return typeof id === 'string' ? id : (stateRoot.split('/').filter(Boolean).pop() ?? 'run');
}

/** What pi-crew has recorded for message `id` so far, or null (still queued / unknown). */
async function deliveryOf(
  stateRoot: string,
  taskId: string,
  id: string,
): Promise<Exclude<CrewSteerOutcome, 'queued'> | null> {
  const d = await readJson(join(stateRoot, 'mailbox', 'delivery.json'));
  const messages = d && typeof d === 'object' ? (d as Record<string, unknown>).messages : null;
  const status =
    messages && typeof messages === 'object' ? (messages as Record<string, unknown>)[id] : null;
  if (status === 'delivered' || status === 'acknowledged') return status;
  let outbox = '';
  try {
    outbox = await readFile(join(stateRoot, 'mailbox', 'tasks', taskId, 'outbox.jsonl'), 'utf8');
  } catch {
    return null;
  }
  for (const line of outbox.split('\n')) {
    if (!line.includes(id)) continue;
    try {
      const m = JSON.parse(line) as Record<string, unknown>;
      if (m.replyTo === id) return 'replied';
    } catch {
      // a torn or foreign line
    }
  }
  return null;
}

/**
 * Hand the message over and wait for its receipt (module doc). Resolves the outcome;
 * rejects on a bad task id or when the inbox cannot be written.
 */
export async function crewSteer(o: CrewSteerOptions): Promise<CrewSteerOutcome> {
  if (!TASK_RE.test(o.taskId) || o.taskId.includes('..'))
    throw new Error(`invalid pi-crew task id ${JSON.stringify(o.taskId)}`);
  const dir = join(o.stateRoot, 'mailbox', 'tasks', o.taskId);
  await mkdir(dir, { recursive: true });
  const message = {
    id: o.id,
    runId: await runIdOf(o.stateRoot),
    direction: 'inbox',
    from: 'laneboard',
    to: o.taskId,
    body: o.text,
    createdAt: new Date().toISOString(),
    status: 'queued',
    kind: 'steer',
    taskId: o.taskId,
    deliveryMode: 'next_turn',
  };
  await appendLine(join(dir, BRIDGE_FILE.inbox), JSON.stringify(message));
  const deadline = Date.now() + o.waitMs;
  for (;;) {
    const got = await deliveryOf(o.stateRoot, o.taskId, o.id);
    if (got !== null) {
      await appendLine(
        join(o.stateRoot, BRIDGE_FILE.hookEvents),
        JSON.stringify({
          event: 'steer.acknowledged',
          status: null,
          emittedAt: new Date().toISOString(),
          detail: `pi-crew task ${o.taskId}: ${got}`,
          data: { id: o.id },
        }),
      );
      return got;
    }
    if (Date.now() >= deadline) return 'queued';
    await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
  }
}
