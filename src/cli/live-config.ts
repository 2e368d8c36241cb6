/**
 * Live lanes.yaml for a running board or `serve`: every settled edit of the file
 * (src/runtime/config-watch.ts) is loaded and validated like at start; a valid one is
 * applied to the runtime (lanes added, removed, changed; settings), a broken one is not:
 * the runtime keeps the last good config and the header shows the first problem as
 * `file:line:column: key: what was expected` until the file is fixed. Each outcome is
 * also a board notice (so `--json` shows it).
 */
import { ConfigError, formatIssue } from '../config/index.js';
import type { BoardConfig } from '../state/config-types.js';
import { createConfigWatcher } from '../runtime/config-watch.js';
import type { ConfigWatcher } from '../runtime/config-watch.js';
import type { Clock, Dispatch } from '../runtime/types.js';
import { prepareConfig } from './prepare.js';
import { errorMessage } from '../state/error-text.js';

/** Options of {@link watchLanesFile}. */
export interface LiveConfigOptions {
  /** Absolute path of lanes.yaml. */
  readonly file: string;
  /** The config the runtime started with (the first "last good" one). */
  readonly initial: BoardConfig;
  /**
   * Applies a valid config to the runtime. Must not reject. May resolve with the notice
   * to show instead of `lanes.yaml reloaded: <what changed>`.
   */
  readonly apply: (config: BoardConfig) => Promise<string | void>;
  readonly dispatch: Dispatch;
  readonly clock: Clock;
  /** Quiet time after the last file event (ms). @default 150 */
  readonly settleMs?: number;
}

/** One line for a ConfigError: its first issue, and how many more there are. */
function configErrorLine(err: ConfigError): string {
  const [first, ...rest] = err.issues;
  if (first === undefined) return err.message;
  const more = rest.length > 0 ? ` (+${rest.length} more)` : '';
  return `${formatIssue(first)}${more}`;
}

/** What changed between two lane sets, for the reload notice. */
function summary(prev: BoardConfig, next: BoardConfig): string {
  const before = new Map(prev.lanes.map((l) => [l.id, JSON.stringify(l)]));
  const after = new Set(next.lanes.map((l) => l.id));
  const added = next.lanes.filter((l) => !before.has(l.id)).map((l) => l.id);
  const removed = prev.lanes.filter((l) => !after.has(l.id)).map((l) => l.id);
  const changed = next.lanes
    .filter((l) => before.has(l.id) && before.get(l.id) !== JSON.stringify(l))
    .map((l) => l.id);
  const parts = [
    added.length > 0 ? `added ${added.join(', ')}` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
    changed.length > 0 ? `changed ${changed.join(', ')}` : '',
    JSON.stringify(prev.settings) !== JSON.stringify(next.settings) ? 'settings' : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join('; ') : 'no lane changes';
}

/**
 * Watch `opts.file` and keep the runtime on its last good config. Resolves the watcher
 * (not started). The header line is cleared once a valid edit is applied.
 */
export function watchLanesFile(opts: LiveConfigOptions): ConfigWatcher {
  let current = opts.initial;
  let broken = false;
  const status = (error: string | null): void =>
    opts.dispatch({ type: 'config/status', banner: null, error, at: opts.clock.now() });
  const notice = (message: string): void =>
    opts.dispatch({ type: 'board/notice', message, at: opts.clock.now() });
  return createConfigWatcher({
    file: opts.file,
    settleMs: opts.settleMs,
    reload: async () => {
      let next: BoardConfig;
      try {
        next = await prepareConfig(opts.file);
      } catch (err) {
        const line = err instanceof ConfigError ? configErrorLine(err) : String(err);
        broken = true;
        status(line);
        notice(`lanes.yaml not applied: ${line}`);
        return;
      }
      status(null);
      const fixed = broken;
      broken = false;
      if (JSON.stringify(next) === JSON.stringify(current)) {
        if (fixed) notice('lanes.yaml is valid again: the config in use is unchanged');
        return;
      }
      const what = summary(current, next);
      current = next;
      const said = await opts.apply(next);
      notice(typeof said === 'string' ? said : `lanes.yaml reloaded: ${what}`);
    },
    onMissing: () => {
      broken = true;
      const line = `${opts.file}:1:1: the file is gone (deleted or renamed)`;
      status(line);
      notice(`lanes.yaml not applied: ${line}`);
    },
  });
}

/**
 * Live lanes.yaml for a runtime in this process: reloads go to `runtime.reconfigure`,
 * status and notices to its store; `afterApply` (optional) is told of every config
 * applied and may return the notice to show instead of the usual one. The file need not exist yet (a discovered board waits for the lanes.yaml
 * `laneboard init` writes; its first valid version is applied and clears the discovered
 * line). Returns the watcher, already starting (its start failure becomes a notice);
 * dispose it before the runtime.
 */
export function liveRuntimeConfig(
  runtime: {
    readonly config: BoardConfig;
    readonly dispatch: Dispatch;
    readonly clock: Clock;
    reconfigure(config: BoardConfig): Promise<void>;
  },
  afterApply: (config: BoardConfig) => Promise<string | void> | string | void = () => undefined,
): ConfigWatcher {
  const clock = runtime.clock;
  const w = watchLanesFile({
    file: runtime.config.file,
    initial: runtime.config,
    dispatch: runtime.dispatch,
    clock,
    apply: (next) =>
      runtime.reconfigure(next).then(
        () => afterApply(next),
        (err: unknown) =>
          runtime.dispatch({
            type: 'board/notice',
            message: `lanes.yaml reload failed: ${errorMessage(err)}`,
            at: clock.now(),
          }),
      ),
  });
  void w.start().catch((err: unknown) =>
    runtime.dispatch({
      type: 'board/notice',
      message: `cannot watch lanes.yaml: ${errorMessage(err)}`,
      at: clock.now(),
    }),
  );
  return w;
}
