/**
 * The `settings` reference of lanes.yaml as one table: each row names keys of the zod
 * schema (./schema.ts `rawSettings`, which validates them), takes its default from
 * `DEFAULT_SETTINGS` (../state/config-types.ts, which the resolver applies), and says what
 * the key means. docs/lanes-yaml.md's `settings` table is generated from it
 * (`npm run gen:docs`), and test/config/settings-doc.test.ts fails when a schema key has no
 * row, a row names a key the schema lacks, or the page differs from the table.
 * Pure (no I/O).
 */
import { DEFAULT_SETTINGS, NOTIFY_KINDS, type BoardSettings } from '../state/config-types.js';
import { leafKeys } from './schema-kit.js';
import { rawSettings } from './schema.js';

/** One row of the settings reference. */
export interface SettingRow {
  /** The schema keys the row documents (dotted paths under `settings`). */
  readonly keys: readonly string[];
  /** How the key is shown (default: the one key, or the first one). */
  readonly label?: string;
  /** Accepted values, in the words of the page's "Conventions". */
  readonly type: string;
  /** The default as written in lanes.yaml, from the resolved defaults. */
  readonly default: (d: BoardSettings) => string;
  /** What it does (Markdown). */
  readonly meaning: string;
}

/** A duration as lanes.yaml would write it: whole minutes from 2 min on, else seconds or ms. */
export function durationText(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}

/** A size as lanes.yaml would write it (`5MB`, `64KB`, or bytes). */
export function sizeText(bytes: number): string {
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KB`;
  return `${bytes}B`;
}

const code = (s: string | number | boolean): string => `\`${s}\``;
const none = (): string => 'none';
const ATTENTION = '([attention.md](attention.md))';

/** A row for one duration key whose default is `pick(defaults)` (ms). */
function durationRow(key: string, pick: (d: BoardSettings) => number, meaning: string): SettingRow {
  return { keys: [key], type: 'duration', default: (d) => code(durationText(pick(d))), meaning };
}

/** The table, in the order of the page. */
export const SETTINGS_TABLE: readonly SettingRow[] = [
  {
    keys: ['heartbeat.warn', 'heartbeat.stale', 'heartbeat.dead'],
    label: '`heartbeat.warn` / `.stale` / `.dead`',
    type: 'duration',
    default: (d) =>
      [d.heartbeat.warnMs, d.heartbeat.staleMs, d.heartbeat.deadMs]
        .map((ms) => code(durationText(ms)))
        .join(' / '),
    meaning: 'Heartbeat age thresholds; must satisfy warn ≤ stale ≤ dead.',
  },
  {
    keys: ['backoff.initial', 'backoff.max'],
    label: '`backoff.initial` / `.max`',
    type: 'duration',
    default: (d) =>
      `${code(durationText(d.backoff.initialMs))} / ${code(durationText(d.backoff.maxMs))}`,
    meaning: 'Restart delay = min(max, initial × factorⁿ); initial ≤ max.',
  },
  {
    keys: ['backoff.factor'],
    type: 'number 1–100',
    default: (d) => code(d.backoff.factor),
    meaning: 'Backoff growth per restart.',
  },
  {
    keys: ['backoff.jitter'],
    type: 'number 0–1',
    default: (d) => code(d.backoff.jitter),
    meaning: 'Random ± fraction applied to each delay.',
  },
  {
    keys: ['crash_loop.max_restarts'],
    type: 'integer 0–1000',
    default: (d) => code(d.crashLoop.maxRestarts),
    meaning: 'More restarts than this within `window` = crash loop (no more restarts).',
  },
  durationRow('crash_loop.window', (d) => d.crashLoop.windowMs, 'Window for the above.'),
  durationRow('stable_after', (d) => d.stableMs, 'A run this long resets the backoff.'),
  durationRow(
    'stop_grace',
    (d) => d.stopGraceMs,
    'SIGTERM → SIGKILL grace period when stopping a worker.',
  ),
  durationRow(
    'steer_timeout',
    (d) => d.steerTimeoutMs,
    'A steering message unacknowledged this long is shown as not delivered.',
  ),
  {
    keys: ['log.max_size'],
    type: 'size',
    default: (d) => code(sizeText(d.logMaxBytes)),
    meaning: '`worker.log` size before rotation.',
  },
  {
    keys: ['log.files'],
    type: 'integer 0–100',
    default: (d) => code(d.logFiles),
    meaning: 'Rotated log files kept.',
  },
  {
    keys: ['orphans'],
    type: '`adopt` \\| `stop`',
    default: (d) => code(d.orphans),
    meaning: 'What a new board does with live workers left by a board that died.',
  },
  {
    keys: ['max_bridge_file'],
    type: 'size',
    default: (d) => code(sizeText(d.maxBridgeFileBytes)),
    meaning: 'Bridge files larger than this are not read (shown as oversize).',
  },
  durationRow('git_timeout', (d) => d.gitTimeoutMs, 'Timeout of one git call.'),
  {
    keys: ['diff_stats'],
    type: 'boolean',
    default: (d) => code(d.diffStats),
    meaning: `Compute each lane's diff stats (\`+ins −del\`, \`git.diff\`); \`false\` shows \`—\` and runs no git for them. Read at start ${ATTENTION}.`,
  },
  {
    keys: NOTIFY_KINDS.map((k) => `notify.${k}`),
    label: '`notify.<kind>`',
    type: 'boolean',
    default: (d) => {
      const values = new Set(NOTIFY_KINDS.map((k) => d.notify.kinds[k]));
      return [...values].map(code).join(' / ');
    },
    meaning: `Desktop notification (OSC 9 + BEL) per kind: ${NOTIFY_KINDS.map(code).join(', ')} ${ATTENTION}.`,
  },
  {
    keys: ['notify.terminal'],
    type: 'boolean',
    default: (d) => code(d.notify.terminal),
    meaning: "Write OSC 9 + BEL to the board's terminal.",
  },
  {
    keys: ['notify.command'],
    type: 'argv or string',
    default: none,
    meaning:
      "Also run this with each notification's text (`{text}` in an element, else appended; a string gets `$LANEBOARD_NOTIFY_TEXT`).",
  },
  durationRow('on_timeout', (d) => d.onTimeoutMs, 'An `on:` command is killed after this long.'),
  {
    keys: ['worktree_setup.copy'],
    type: 'list of paths',
    default: none,
    meaning:
      'Git-ignored files copied from the main worktree into a worktree `laneboard add` (or `n`) creates ([lanes.md](lanes.md)).',
  },
  {
    keys: ['worktree_setup.command'],
    type: 'argv or string',
    default: none,
    meaning:
      'Then run in the new worktree (e.g. `npm ci`); a failure is reported, the lane is still added.',
  },
  {
    keys: ['fleet.nats', 'fleet.host', 'fleet.creds'],
    label: '`fleet.nats` / `.host` / `.creds`',
    type: 'URL / name / path',
    default: () => 'none / short hostname / none',
    meaning:
      'The fleet (`--nats` / `--host` / `--creds` win; then these; then `LANEBOARD_NATS_*`) ([fleet.md](fleet.md)).',
  },
];

/** Every `settings` key the schema accepts (dotted leaf paths, declaration order). */
export function settingKeys(): string[] {
  return leafKeys(rawSettings.shape);
}

/**
 * The settings reference as a Markdown table (unpadded; the page holds it as Prettier
 * formats it). `defaults` is what the resolver applies (default `DEFAULT_SETTINGS`).
 */
export function settingsTableMarkdown(defaults: BoardSettings = DEFAULT_SETTINGS): string {
  const rows = SETTINGS_TABLE.map((r) => {
    const label = r.label ?? code(r.keys[0] ?? '');
    return `| ${label} | ${r.type} | ${r.default(defaults)} | ${r.meaning} |`;
  });
  return ['| key | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Opening marker of the generated table in docs/lanes-yaml.md. */
export const TABLE_BEGIN =
  '<!-- settings table: generated from src/config/settings-doc.ts by `npm run gen:docs` -->';
/** Closing marker of the generated table. */
export const TABLE_END = '<!-- end of settings table -->';

/**
 * `page` (docs/lanes-yaml.md) with the text between {@link TABLE_BEGIN} and
 * {@link TABLE_END} replaced by {@link settingsTableMarkdown} (to be Prettier-formatted by
 * the caller). @throws when the markers are missing.
 */
export function withSettingsTable(page: string): string {
  const begin = page.indexOf(TABLE_BEGIN);
  const end = page.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error('settings table markers not found');
  const head = page.slice(0, begin + TABLE_BEGIN.length);
  return `${head}\n\n${settingsTableMarkdown()}\n\n${page.slice(end)}`;
}
