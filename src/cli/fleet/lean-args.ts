/**
 * Which command lines the lean fleet `--json` path serves (src/cli/fleet/json-lean.ts,
 * bundled as dist/fleet-json.cjs and tried by the launcher's front door before the full
 * command line loads): `laneboard --json [--pretty] --nats URL [--host NAME] [--creds
 * FILE]` (each option also as `--opt=value`), or the same without `--nats` when
 * LANEBOARD_NATS_URL is set, run where there is no ./lanes.yaml. Anything else — another
 * option, a word, `-c`, `--watch`, a lanes.yaml to merge — is left to the full command line.
 */
import { fleetSettings } from './settings.js';
import type { FleetSettings } from '../../runtime/fleet/host.js';

/** A command line the lean fleet `--json` path serves. */
export interface LeanFleetJson {
  readonly fleet: FleetSettings;
  readonly pretty: boolean;
}

const VALUED = ['--nats', '--host', '--creds'] as const;

/**
 * Parse `argv` (without node and script). `env` supplies LANEBOARD_NATS_*; `hasLanesYaml`
 * says whether ./lanes.yaml exists (then this host's lanes must be merged: not lean).
 * Returns null for every command line the lean path does not serve.
 */
export function parseLeanFleetJson(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  hasLanesYaml: () => boolean,
): LeanFleetJson | null {
  const flags: Partial<Record<(typeof VALUED)[number], string>> = {};
  let json = false;
  let pretty = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const eq = a.indexOf('=');
    const name = (eq > 0 ? a.slice(0, eq) : a) as (typeof VALUED)[number];
    if (a === '--json' || a === '--pretty') {
      if (a === '--json') json = true;
      else pretty = true;
    } else if (VALUED.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '' || v.startsWith('-') || flags[name] !== undefined)
        return null;
      flags[name] = v;
    } else {
      return null;
    }
  }
  if (!json) return null;
  const fleet = fleetSettings(
    { nats: flags['--nats'], host: flags['--host'], creds: flags['--creds'] },
    null,
    env,
  );
  if (fleet === null || hasLanesYaml()) return null;
  return { fleet, pretty };
}

/** A command line the lean fleet verb (./verb-lean.ts) serves. */
export interface LeanFleetVerb {
  readonly verb: 'restart' | 'stop' | 'start' | 'clear';
  /** `<host>/<lane>` as given (validated by the verb). */
  readonly target: string;
  readonly fleet: FleetSettings;
  /** `--timeout`: how long to wait for the host's claim (ms). */
  readonly timeoutMs?: number;
}

const LEAN_VERBS = ['restart', 'stop', 'start', 'clear'] as const;

/**
 * Parse `argv` as `restart|stop|start|clear <host>/<lane>` in fleet mode (`--nats URL`
 * or LANEBOARD_NATS_URL; `--host`, `--creds`; `--timeout` as plain milliseconds or
 * `<n>ms` / `<n>s`). Returns null for anything else (`--all`, several targets, a target
 * without `/`, steer, another option): the full command line handles those.
 */
export function parseLeanFleetVerb(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): LeanFleetVerb | null {
  const [verb, ...rest] = argv;
  if (!(LEAN_VERBS as readonly (string | undefined)[]).includes(verb)) return null;
  const flags: Partial<Record<(typeof VALUED)[number] | '--timeout', string>> = {};
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const eq = a.indexOf('=');
    const name = (eq > 0 ? a.slice(0, eq) : a) as keyof typeof flags;
    if ([...VALUED, '--timeout'].includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : rest[++i];
      if (v === undefined || v === '' || v.startsWith('-') || flags[name] !== undefined)
        return null;
      flags[name] = v;
    } else if (a.startsWith('-') || a === '') {
      return null;
    } else {
      words.push(a);
    }
  }
  const [target, ...more] = words;
  if (target === undefined || more.length > 0 || !target.includes('/')) return null;
  const fleet = fleetSettings(
    { nats: flags['--nats'], host: flags['--host'], creds: flags['--creds'] },
    null,
    env,
  );
  if (fleet === null) return null;
  let timeoutMs: number | undefined;
  if (flags['--timeout'] !== undefined) {
    const m = /^(\d+)(ms|s)?$/.exec(flags['--timeout']);
    if (!m) return null;
    timeoutMs = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  }
  return {
    verb: verb as LeanFleetVerb['verb'],
    target,
    fleet,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}
