/**
 * A supervising runtime that serves the control endpoint: claims the socket first (the
 * one-runtime-per-lanes.yaml lock, ./endpoint.ts), then composes the runtime
 * (../create-runtime.ts) and serves it. Used by `laneboard serve` and the board that runs
 * its own runtime. Once the first reads are done, its git processes are spawned by a helper
 * process (../git/git-helper.ts), so a storm's git probes do not stall the main thread.
 */
import type { BoardConfig } from '../../state/config-types.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../create-runtime.js';
import { startGitHelper } from '../git/git-helper.js';
import { claimEndpoint, type Endpoint } from './endpoint.js';
import { createControlHandler } from './routes.js';
import type { LaneAdmin } from '../types.js';

/** A hosted runtime: `dispose()` stops the workers, then closes the socket(s). */
export interface HostedRuntime {
  readonly runtime: Runtime;
  readonly endpoint: Endpoint;
  /**
   * Serve the same endpoint on the socket of config `configFile` in `stateDir` too (a
   * discovered board that now follows the lanes.yaml `laneboard init` wrote: verbs look
   * for its runtime beside that file). Closed with the first one.
   * @throws RuntimeRunningError when a live runtime already serves that socket.
   */
  serveAlso(stateDir: string, configFile: string): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Claim the endpoint for `config` and compose a supervising runtime behind it (not yet
 * started). `kind` names the host in `GET /v1/health` (`serve` or `board`); `admin` is
 * the lane management its endpoint offers (`n` / `D` of attached boards, ./admin-routes.ts;
 * absent or undefined: refused).
 * @throws RuntimeRunningError (./endpoint.ts) when a live runtime already serves the
 *   config's socket — nothing was started then; other socket errors as thrown by listen.
 */
export async function hostRuntime(
  config: BoardConfig,
  kind: 'serve' | 'board',
  opts: Omit<RuntimeOptions, 'mode'>,
  admin?: () => LaneAdmin | undefined,
): Promise<HostedRuntime> {
  const handler = createControlHandler(
    { pid: process.pid, config: config.file, kind, startedAt: new Date().toISOString() },
    admin === undefined ? {} : { admin },
  );
  const endpoint = await claimEndpoint(config.stateDir, config.file, handler.listener);
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, { ...opts, mode: 'supervise', draws: kind === 'board' });
  } catch (err) {
    await endpoint.close();
    throw err;
  }
  handler.attach(runtime);
  // After the first reads: start-up keeps its git in this process and the second core for
  // git itself, not for starting a helper the first frame does not need.
  let gitHelper: ReturnType<typeof startGitHelper> | null = null;
  let disposing: Promise<void> | null = null;
  void runtime.observed().then(() => {
    if (disposing === null) gitHelper = startGitHelper();
  });
  const extra: Endpoint[] = [];
  return {
    runtime,
    endpoint,
    async serveAlso(stateDir, configFile) {
      if (disposing !== null) return;
      const more = await claimEndpoint(stateDir, configFile, handler.listener);
      if (disposing !== null) await more.close();
      else extra.push(more);
    },
    dispose() {
      // The socket stays claimed until the workers are gone, so no second runtime can
      // adopt them halfway; lane operations meanwhile answer 503 shutting_down.
      disposing ??= (async () => {
        handler.shutdown();
        await runtime.dispose();
        await gitHelper?.dispose();
        await Promise.all([endpoint, ...extra].map((e) => e.close()));
      })();
      return disposing;
    },
  };
}
