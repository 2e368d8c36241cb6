/**
 * Where the fleet settings of a command come from, first match wins: `--nats URL`
 * (`--host NAME`, `--creds FILE`), then `settings.fleet` in lanes.yaml
 * (`{ nats, host, creds }`), then the LANEBOARD_NATS_URL environment variable (with
 * LANEBOARD_NATS_HOST and LANEBOARD_NATS_CREDS). `--host` and `--creds` also refine a
 * URL that came from lanes.yaml or the environment. No source ⇒ not in fleet mode.
 */
import type { FleetSettings } from '../../runtime/fleet/host.js';

/** The fleet options a command line may carry. */
export interface FleetFlags {
  readonly nats?: string;
  readonly host?: string;
  readonly creds?: string;
}

/**
 * Resolve the fleet settings (see the module doc). `fromConfig` is lanes.yaml's
 * `settings.fleet` when there is one; `env` defaults to process.env.
 * Returns null when no URL is given anywhere.
 */
export function fleetSettings(
  flags: FleetFlags,
  fromConfig?: { nats?: string; host?: string; creds?: string } | null,
  env: NodeJS.ProcessEnv = process.env,
): FleetSettings | null {
  const url = flags.nats ?? fromConfig?.nats ?? env.LANEBOARD_NATS_URL;
  if (url === undefined || url === '') return null;
  const host = flags.host ?? fromConfig?.host ?? env.LANEBOARD_NATS_HOST;
  const creds = flags.creds ?? fromConfig?.creds ?? env.LANEBOARD_NATS_CREDS;
  return {
    url,
    ...(host ? { host } : {}),
    ...(creds ? { creds } : {}),
  };
}
