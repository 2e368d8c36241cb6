/**
 * The board attached to a running runtime (`laneboard serve` or another board) over its
 * control endpoint: the store is fed by `GET /v1/state` (the runtime's whole state, then
 * every applied batch of actions, replayed by the same reducer), keys act through the
 * endpoint (start/stop/restart/clear/steer), the detail pane's log comes from
 * `GET /v1/lanes/<id>/log`. Quitting leaves the workers running and says so. When the
 * runtime stops, the board keeps its last state and shows a notice.
 */
import { requestJson, streamLines } from '../runtime/control/client.js';
import type { Health } from '../runtime/control/protocol.js';
import type { Controls } from '../runtime/types.js';
import type { Action } from '../state/actions.js';
import { createBoardStore } from '../state/store.js';
import type { BoardState, SteerMessage } from '../state/types.js';
import { displayPath, runBoard } from './board.js';
import { importInk } from './ink-loader.js';

/** Run the board attached to the runtime on `socket`; resolves with the exit code. */
export async function runAttachedBoard(socket: string, health: Health): Promise<number> {
  const ink = importInk();
  const store = createBoardStore();
  const notice = (message: string): void =>
    store.dispatch({ type: 'board/notice', message, at: Date.now() });
  let gotState: () => void = () => undefined;
  const first = new Promise<void>((r) => (gotState = r));
  const stream = await streamLines(socket, '/v1/state', (v) => {
    const line = v as { type?: string; state?: BoardState; actions?: Action[] };
    if (line.type === 'state' && line.state) {
      store.setState(line.state, true);
      gotState();
    } else if (line.type === 'actions' && Array.isArray(line.actions)) {
      store.dispatchAll(line.actions);
    }
  });
  let detached = false;
  void stream.done.then(() => {
    if (!detached)
      notice(`the runtime (pid ${health.pid}) stopped; this board shows its last state`);
  });
  const post = async (id: string, op: string, body?: unknown): Promise<Record<string, unknown>> => {
    const r = await requestJson(
      socket,
      'POST',
      `/v1/lanes/${encodeURIComponent(id)}/${op}`,
      body,
      0,
    );
    const b = (r.body ?? {}) as Record<string, unknown>;
    if (r.status !== 200) {
      const e = b.error as { message?: string } | undefined;
      throw new Error(e?.message ?? `HTTP ${r.status}`);
    }
    return b;
  };
  const controls: Controls = {
    start: async (id) => void (await post(id, 'start')),
    stop: async (id) => void (await post(id, 'stop')),
    restart: async (id) => void (await post(id, 'restart')),
    steer: async (id, text) => (await post(id, 'steer', { text })).message as SteerMessage,
    clearBlockers: (id) => void post(id, 'clear').catch((e: Error) => notice(e.message)),
    // Quitting an attached board stops nothing: no confirmation needed.
    runningCount: () => 0,
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
      closing: `detached; the workers keep running under pid ${health.pid} (${health.kind}) — laneboard status`,
      close: () => {
        detached = true;
        stream.close();
        return Promise.resolve();
      },
    },
    ink,
    `laneboard — ${displayPath(health.config)} (attached to pid ${health.pid})`,
  );
}
