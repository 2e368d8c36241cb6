/**
 * The board attached to a running runtime (`laneboard serve` or another board) over its
 * control endpoint: the store is fed by `GET /v1/state` (the runtime's whole state, then
 * every applied batch of actions, replayed by the same reducer), keys act through the
 * endpoint (start/stop/restart/clear/steer/approve/deny, and `n` / `D`: the runtime adds
 * and removes the lane, this process runs no git), the detail pane's log comes from
 * `GET /v1/lanes/<id>/log`. Quitting leaves the workers running and says so. When the
 * runtime stops, the board keeps its last state, says so in the config line, and waits
 * for a runtime to serve the socket again, then shows that one. It notifies like a board
 * with its own runtime (OSC 9 + BEL, ./board-attention.ts), baselined on each state it
 * receives; the runtime runs the `on:` commands.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { probeRuntime, requestJson, streamLines } from '../runtime/control/client.js';
import type { Health } from '../runtime/control/protocol.js';
import type { Controls, LaneAdmin } from '../runtime/types.js';
import type { Action } from '../state/actions.js';
import { createBoardStore } from '../state/store.js';
import type { BoardState, SteerMessage } from '../state/types.js';
import { attachedAttention } from './board-attention.js';
import { displayPath, liveTitle, runBoard } from './board.js';
import { importInk } from './ink-loader.js';

/** How often (ms) a board whose runtime stopped looks for one to attach to again. */
const REATTACH_POLL_MS = 1_000;

/** Run the board attached to the runtime on `socket`; resolves with the exit code. */
export async function runAttachedBoard(socket: string, health: Health): Promise<number> {
  const ink = importInk();
  const store = createBoardStore();
  const attention = attachedAttention(store, path.dirname(health.config));
  const notice = (message: string): void =>
    store.dispatch({ type: 'board/notice', message, at: Date.now() });
  let gotState: () => void = () => undefined;
  /** Said once the state of a runtime attached to again has arrived. */
  let announce: string | null = null;
  const first = new Promise<void>((r) => (gotState = r));
  const onLine = (v: unknown): void => {
    const line = v as { type?: string; state?: BoardState; actions?: Action[] };
    if (line.type === 'state' && line.state) {
      // A (new) runtime's whole state is a new baseline, not a burst of transitions.
      attention.pause();
      store.setState(line.state, true);
      void attention.start();
      gotState();
      if (announce !== null) notice(announce);
      announce = null;
    } else if (line.type === 'actions' && Array.isArray(line.actions)) {
      store.dispatchAll(line.actions);
    }
  };
  let runtime = health;
  const titleOf = (h: Health): string =>
    `laneboard — ${displayPath(h.config)} (attached to pid ${h.pid})`;
  const title = liveTitle(titleOf(health));
  let stream = await streamLines(socket, '/v1/state', onLine);
  let detached = false;
  // When the runtime stops the board stays (its last state on screen, a line saying so)
  // and waits for a runtime to serve the socket again (systemd's Restart=, or a new
  // `laneboard serve`), then shows that one: the new state replaces the old.
  const follow = async (): Promise<void> => {
    while (!detached) {
      await stream.done;
      if (detached) return;
      store.dispatch({
        type: 'config/status',
        banner: `the runtime (pid ${runtime.pid}) stopped: this board shows its last state and waits for a runtime to come back (q leaves)`,
        error: null,
        at: Date.now(),
      });
      for (;;) {
        await new Promise((r) => setTimeout(r, REATTACH_POLL_MS));
        if (detached) return;
        const next = await probeRuntime(socket);
        if (next === null) continue;
        announce = `attached to the runtime pid ${next.pid} (${next.kind})`;
        try {
          stream = await streamLines(socket, '/v1/state', onLine);
        } catch {
          continue;
        }
        runtime = next;
        title.set(titleOf(next));
        break;
      }
    }
  };
  void follow();
  /** `method` on `path` (no time limit: add and remove take as long as git does). */
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> => {
    const r = await requestJson(socket, method, path, body, 0);
    const b = (r.body ?? {}) as Record<string, unknown>;
    if (r.status !== 200) {
      const e = b.error as { message?: string } | undefined;
      throw new Error(e?.message ?? `HTTP ${r.status}`);
    }
    return b;
  };
  const post = (id: string, op: string, body?: unknown) =>
    call('POST', `/v1/lanes/${encodeURIComponent(id)}/${op}`, body);
  // n / D: the runtime runs the steps of `laneboard add` / `remove` (its endpoint's lane
  // management routes), so this board runs no git and edits no file itself.
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const lanes: LaneAdmin = {
    add: async (id) => str((await call('POST', '/v1/lanes', { id })).line),
    loss: async (id) => {
      const r = await call('GET', `/v1/lanes/${encodeURIComponent(id)}/loss`);
      return { worktree: str(r.worktree), lost: typeof r.lost === 'string' ? r.lost : null };
    },
    remove: async (id) => str((await post(id, 'remove')).line),
  };
  const controls: Controls = {
    start: async (id) => void (await post(id, 'start')),
    stop: async (id) => void (await post(id, 'stop')),
    restart: async (id) => void (await post(id, 'restart')),
    steer: async (id, text) => (await post(id, 'steer', { text })).message as SteerMessage,
    clearBlockers: (id) => void post(id, 'clear').catch((e: Error) => notice(e.message)),
    // The runtime keeps the mute state in its store; this board sees it replayed.
    setMuted: (id, muted) =>
      void post(id, 'mute', { muted }).catch((e: Error) => notice(e.message)),
    // Board approvals: the runtime writes the decision into the lane's bridge.
    approve: async (id, d) => {
      try {
        const body = {
          by: d.by ?? 'board',
          ...(d.message !== undefined ? { message: d.message } : {}),
          ...(d.requestId !== undefined ? { request: d.requestId } : {}),
        };
        const r = await post(id, d.behavior === 'allow' ? 'approve' : 'deny', body);
        const a = (r.approval ?? {}) as { id?: string; detail?: string };
        return { ok: true, id: a.id ?? '', detail: a.detail ?? '' };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    },
    // Quitting an attached board stops nothing: no confirmation needed.
    runningCount: () => 0,
    // A discovered runtime has no lanes.yaml to edit.
    ...(existsSync(health.config) ? { lanes } : {}),
  };
  return runBoard(
    {
      store,
      controls,
      readLogTail: async (id) => {
        const r = await requestJson(
          socket,
          'GET',
          `/v1/lanes/${encodeURIComponent(id)}/log?tail=8192`,
        );
        return typeof (r.body as { text?: unknown } | null)?.text === 'string'
          ? (r.body as { text: string }).text
          : '';
      },
      ready: () => first,
      flush: () => undefined,
      get closing() {
        return `detached; the workers keep running under pid ${runtime.pid} (${runtime.kind}) — laneboard status`;
      },
      close: () => {
        detached = true;
        stream.close();
        return attention.dispose();
      },
    },
    ink,
    title.title,
  );
}
