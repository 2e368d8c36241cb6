/**
 * The verbs that act on or describe lanes through the control endpoint: `status`,
 * `start|stop|restart|clear`, `steer`, `why`. Text for the terminal is sanitized
 * (src/state/sanitize.ts): lane fields come from workers and agents.
 */
import { sanitizeText } from '../../state/sanitize.js';
import { EXIT } from '../commands/exit.js';
import type { Connection } from './link.js';
import { selectLanes } from './link.js';
import { waitForSteer } from './wait.js';

/** A fact's source in a lane snapshot (`via`: who said it; absent from older runtimes). */
export interface SourceSnap {
  readonly file: string;
  readonly at: string | null;
  readonly line: number | null;
  readonly event: string | null;
  readonly via?: string | null;
}

/** The fields of a `laneboard.snapshot/1` lane the verbs read (see the schema). */
export interface LaneSnap {
  readonly id: string;
  readonly git: {
    readonly freshness: string;
    readonly ahead: number | null;
    readonly behind: number | null;
  };
  readonly worker: {
    readonly state: string;
    readonly pid: number | null;
    readonly restarts: number;
    readonly error: string | null;
  };
  readonly agent: {
    readonly status: string | null;
    readonly kind: string;
    readonly phase: string | null;
    readonly heartbeat: {
      readonly at: string | null;
      readonly ageMs: number | null;
      readonly liveness: string;
    };
    readonly source: SourceSnap | null;
  };
  readonly tests: { readonly status: string; readonly level: string | null };
  readonly blockers: readonly {
    readonly failureClass: string;
    readonly detail: string;
    readonly nextAction: string;
    readonly since: string | null;
    readonly resetAt: string | null;
    readonly source: SourceSnap | null;
  }[];
  readonly steering: readonly {
    readonly id: string;
    readonly delivery: string;
    readonly error: string | null;
  }[];
}

const t = (v: unknown, n = 60): string => sanitizeText(v, n);

/** Lane snapshots of the runtime. */
export async function lanesOf(conn: Pick<Connection, 'call'>): Promise<LaneSnap[]> {
  return (await conn.call('GET', '/v1/lanes')).lanes as LaneSnap[];
}

/** `status`: one line per lane, or the runtime's snapshot with `json`. */
export async function runStatus(conn: Connection, json: boolean): Promise<number> {
  if (json) {
    const snap = await conn.call('GET', '/v1/snapshot');
    delete snap.api;
    process.stdout.write(`${JSON.stringify(snap)}\n`);
    return EXIT.ok;
  }
  const lanes = await lanesOf(conn);
  const h = conn.health;
  const rows = lanes.map((l) => [
    t(l.id, 40),
    l.worker.pid === null ? l.worker.state : `${l.worker.state} ${l.worker.pid}`,
    t(l.agent.status ?? '-', 20),
    l.tests.status,
    l.git.freshness,
    l.blockers.length === 0 ? '-' : l.blockers.map((b) => t(b.failureClass, 30)).join(','),
  ]);
  const head = ['LANE', 'WORKER', 'AGENT', 'TESTS', 'GIT', 'BLOCKERS'];
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => (r[i] ?? '').length)));
  const out = [`runtime pid ${h.pid} (${h.kind}) for ${t(h.config, 200)}`];
  for (const r of [head, ...rows])
    out.push(
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}

/**
 * `start|stop|restart|clear <lane>...`: one line per lane with the resulting worker state;
 * exit 1 (after trying every lane) when a start or restart left a lane without a running
 * worker (observe-only lane, command that failed to start), with the reason on stderr.
 */
export async function runLaneOp(
  conn: Pick<Connection, 'call'>,
  op: 'start' | 'stop' | 'restart' | 'clear',
  args: readonly string[],
  all: boolean,
): Promise<number> {
  // One lane by id: the runtime itself refuses an unknown id (unknown_lane ⇒ exit 2), so
  // the lane list is not fetched (it costs a snapshot of every lane).
  const single = !all && args.length === 1 && !/[*?]/.test(args[0] ?? '');
  const ids = single
    ? [...args]
    : selectLanes(
        (await lanesOf(conn)).map((l) => l.id),
        args,
        all,
      );
  let code: number = EXIT.ok;
  for (const id of ids) {
    const r = await conn.call('POST', `/v1/lanes/${encodeURIComponent(id)}/${op}`);
    const lane = r.lane as LaneSnap;
    const w = lane.worker;
    process.stdout.write(`${id}: ${w.state}${w.pid === null ? '' : ` pid ${w.pid}`}\n`);
    // start/restart did not get a worker running: observe-only lane, or it failed to start.
    if ((op === 'start' || op === 'restart') && w.pid === null) {
      const why =
        w.state === 'none' ? 'observe-only lane (no command in lanes.yaml)' : (w.error ?? w.state);
      process.stderr.write(`laneboard: ${op} ${t(id, 80)}: no worker running: ${t(why, 300)}\n`);
      code = EXIT.runtime;
    }
  }
  return code;
}

/**
 * `steer <lane> <message>`: prints the message id once it is accepted into the lane's
 * channel (exit 0), 1 when it could not be handed over; with `wait`, waits for the
 * delivery receipt and exits 1 when the lane's steer timeout passes without one.
 */
export async function runSteer(
  conn: Connection,
  laneId: string,
  text: string,
  wait: boolean,
  timeoutMs: number | null,
): Promise<number> {
  selectLanes(
    (await lanesOf(conn)).map((l) => l.id),
    [laneId],
    false,
  );
  const r = await conn.call('POST', `/v1/lanes/${encodeURIComponent(laneId)}/steer`, { text });
  const m = r.message as { id: string; state: string; error: string | null };
  if (m.state === 'failed') {
    process.stderr.write(
      `laneboard: steer to ${laneId} failed: ${t(m.error ?? 'not handed over', 300)}\n`,
    );
    return EXIT.runtime;
  }
  process.stdout.write(`${m.id}\n`);
  if (!wait) return EXIT.ok;
  const delivery = await waitForSteer(conn, laneId, m.id, timeoutMs);
  if (delivery === 'delivered') {
    process.stderr.write(`laneboard: delivered to ${laneId}\n`);
    return EXIT.ok;
  }
  process.stderr.write(`laneboard: steer ${m.id} to ${laneId}: ${delivery}\n`);
  return EXIT.runtime;
}

function age(iso: string | null): string {
  if (iso === null) return 'unknown age';
  const ms = Date.now() - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'unknown age';
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120
    ? `${s}s ago`
    : s < 7200
      ? `${Math.round(s / 60)}m ago`
      : `${Math.round(s / 3600)}h ago`;
}

/** A source in words: `transcript: hook-events.jsonl:12 (hook.Interrupt)`. */
function sourceText(s: SourceSnap | null): string {
  if (s === null) return 'unknown source';
  const via = typeof s.via === 'string' ? `${t(s.via, 40)}: ` : '';
  const line = s.line !== null ? `:${s.line}` : '';
  const ev = s.event ? ` (${t(s.event, 60)})` : '';
  return `${via}${t(s.file, 200)}${line}${ev}`;
}

/** `why <lane>`: the agent state and every blocker with class, source, age and next action. */
export async function runWhy(conn: Connection, laneId: string): Promise<number> {
  selectLanes(
    (await lanesOf(conn)).map((l) => l.id),
    [laneId],
    false,
  );
  const l = (await conn.call('GET', `/v1/lanes/${encodeURIComponent(laneId)}`)).lane as LaneSnap;
  const a = l.agent;
  const out = [
    `lane ${t(l.id, 80)}`,
    `  worker  ${l.worker.state}${l.worker.pid === null ? '' : ` pid ${l.worker.pid}`}, ${l.worker.restarts} restarts`,
    `  agent   ${t(a.status ?? 'no report', 60)} (${a.kind}${a.phase ? `, ${t(a.phase, 80)}` : ''}), heartbeat ${a.heartbeat.liveness} ${age(a.heartbeat.at)}`,
    ...(a.source !== null
      ? [`          source ${sourceText(a.source)}, seen ${age(a.source.at)}`]
      : []),
    `  tests   ${l.tests.status}${l.tests.level ? ` (${t(l.tests.level, 40)})` : ''} · git ${l.git.freshness}`,
  ];
  if (l.blockers.length === 0) out.push('  no blockers');
  for (const b of l.blockers) {
    out.push(`  blocker ${t(b.failureClass, 60)}: ${t(b.detail, 300)}`);
    const reset = b.resetAt ? ` · resets at ${t(b.resetAt, 40)}` : '';
    out.push(`          since ${age(b.since)} · source ${sourceText(b.source)}${reset}`);
    out.push(`          next: ${t(b.nextAction, 300)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
