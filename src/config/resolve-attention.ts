/**
 * Resolution of the attention-loop keys of lanes.yaml: `settings.notify`,
 * `settings.on_timeout` and the `on:` map of `defaults` and lanes (pure).
 */
import { DEFAULT_SETTINGS, ON_EVENTS } from '../state/config-types.js';
import type { AttentionSettings, OnEvent } from '../state/config-types.js';
import type { RawSettings } from './schema.js';

/** `on:` as parsed: event → argv, or null (unset the default). */
type RawOn = Partial<Record<OnEvent, string[] | null | undefined>>;

/** `settings.notify` and `settings.on_timeout` over the defaults (every kind on, terminal on, 30 s). */
export function resolveAttention(r: RawSettings): AttentionSettings {
  const d = DEFAULT_SETTINGS;
  const n = r.notify ?? {};
  return {
    notify: {
      kinds: {
        attention: n.attention ?? d.notify.kinds.attention,
        rate_limit: n.rate_limit ?? d.notify.kinds.rate_limit,
        crash_loop: n.crash_loop ?? d.notify.kinds.crash_loop,
        red: n.red ?? d.notify.kinds.red,
        finished: n.finished ?? d.notify.kinds.finished,
        exited: n.exited ?? d.notify.kinds.exited,
      },
      terminal: n.terminal ?? d.notify.terminal,
      command: n.command ?? d.notify.command,
    },
    onTimeoutMs: r.on_timeout ?? d.onTimeoutMs,
  };
}

/**
 * A lane's `on:` commands: the lane's map over the defaults' map, event by event; an event
 * set to `null` on the lane has no command even when the defaults give one.
 * @returns `{ on }` when the lane has at least one command, else `{}` (no `on` key).
 */
export function resolveOn(
  defs: RawOn | undefined,
  lane: RawOn | undefined,
): { on?: Partial<Record<OnEvent, readonly string[]>> } {
  const out: Partial<Record<OnEvent, readonly string[]>> = {};
  for (const e of ON_EVENTS) {
    const v = lane !== undefined && Object.hasOwn(lane, e) ? lane[e] : defs?.[e];
    if (v !== undefined && v !== null) out[e] = v;
  }
  return Object.keys(out).length > 0 ? { on: out } : {};
}
