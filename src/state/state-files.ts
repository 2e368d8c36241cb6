/**
 * The names of laneboard's own files, in one place (like ./bridge-files.ts for the bridge
 * contract). The state dir is `<config dir>/.laneboard` (discovered lanes without a
 * lanes.yaml: `<git common dir>/laneboard`); default bridge dirs live below it in
 * `lanes/<id>`. Runtime files that belong to one config file are named `<stem><key><ext>`,
 * where the key keeps two configs of one directory apart (`''` for lanes.yaml, else
 * `.<file name>`; src/runtime/config-key.ts, docs/control.md "One runtime per lanes.yaml").
 * Pure constants.
 */

/** Name of laneboard's own directory next to lanes.yaml (the state dir). */
export const OWN_DIR = '.laneboard';
/** State dir name inside a repository's git common dir for discovered lanes (no lanes.yaml). */
export const DISCOVERED_STATE_DIR = 'laneboard';
/** Subdirectory of {@link OWN_DIR} holding the default bridge dirs (`lanes/<lane id>`). */
export const LANES_DIR = 'lanes';
/** The config file name whose runtime files keep the plain names (no key). */
export const DEFAULT_CONFIG_NAME = 'lanes.yaml';

/** A per-config runtime file: `<stem><config key><ext>` in the state dir. */
export interface KeyedFile {
  readonly stem: string;
  readonly ext: string;
}

/** Runtime files in the state dir, one per config file (named with its key). */
export const KEYED_STATE_FILE = {
  /** The control endpoint's Unix socket, also the one-runtime lock (docs/control.md). */
  control: { stem: 'control', ext: '.sock' },
  /** The supervisor's record of its workers (pids, restarts), for adoption on restart. */
  supervisor: { stem: 'supervisor', ext: '.json' },
  /** The operator's muted lanes (attention), kept across restarts. */
  muted: { stem: 'muted', ext: '.json' },
  /** The lanes this host published to the fleet bucket, per host name (src/runtime/fleet/published-record.ts). */
  fleetLanes: { stem: 'fleet-lanes', ext: '.json' },
} as const satisfies Record<string, KeyedFile>;

/** State dir files shared by every config of the directory. */
export const STATE_FILE = {
  /** Problems of `laneboard hook` that no lane could own (JSONL, shown as board notices). */
  hookErrors: 'hook-errors.jsonl',
  /**
   * Agent settings files `laneboard hooks install` created (JSON: path → the first
   * directory it made for them), so `hooks uninstall` removes a file that it created and
   * that holds nothing else any more (src/cli/hooks/created-record.ts).
   */
  hooksCreated: 'hooks-created.json',
  /** Keeps the state dir out of `git status` (written once, holds `*`). */
  gitignore: '.gitignore',
} as const;
