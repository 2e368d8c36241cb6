/**
 * Where the fleet settings of a command come from, first match wins: `--nats URL`
 * (`--host NAME`, `--creds FILE`), then `settings.fleet` in lanes.yaml
 * (`{ nats, host, creds }`), then the LANEBOARD_NATS_URL environment variable (with
 * LANEBOARD_NATS_HOST and LANEBOARD_NATS_CREDS). `--host` and `--creds` also refine a
 * URL that came from lanes.yaml or the environment. No source ⇒ not in fleet mode.
 */
import { resolve } from 'node:path';
import type { FleetSettings } from '../../runtime/fleet/host.js';
import { defaultHostName } from '../../runtime/fleet/host-name.js';

/** The fleet options a command line may carry. */
export interface FleetFlags {
  readonly nats?: string;
  readonly host?: string;
  readonly creds?: string;
}

/** lanes.yaml's `settings.fleet` and the directory its relative `creds` path is resolved against. */
export interface ConfigFleet {
  readonly fleet?: { readonly nats?: string; readonly host?: string; readonly creds?: string };
  readonly dir: string;
}

/**
 * Resolve the fleet settings (see the module doc). `fromConfig` is lanes.yaml's
 * `settings.fleet` when there is one; `env` defaults to process.env.
 * Returns null when no URL is given anywhere.
 */
export function fleetSettings(
  flags: FleetFlags,
  fromConfig?: ConfigFleet | null,
  env: NodeJS.ProcessEnv = process.env,
): FleetSettings | null {
  const cf = fromConfig?.fleet;
  const url = flags.nats ?? cf?.nats ?? env.LANEBOARD_NATS_URL;
  if (url === undefined || url === '') return null;
  const host = flags.host ?? cf?.host ?? env.LANEBOARD_NATS_HOST;
  const cfCreds =
    cf?.creds !== undefined && fromConfig ? resolve(fromConfig.dir, cf.creds) : undefined;
  const creds = flags.creds ?? cfCreds ?? env.LANEBOARD_NATS_CREDS;
  return {
    url,
    ...(host ? { host } : {}),
    ...(creds ? { creds } : {}),
  };
}

/** The client name the fleet CLI uses (`laneboard-cli/<host>`; also the commands' `by`). */
export function cliClientName(fleet: FleetSettings): string {
  return `laneboard-cli/${fleet.host ?? defaultHostName()}`;
}
