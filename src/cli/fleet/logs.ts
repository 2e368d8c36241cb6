/**
 * `laneboard logs <host>/<lane> --nats URL [-f]`: a remote lane's worker log, asked of
 * its host over NATS (src/runtime/fleet/logs.ts) — the last 64 KiB, then with `-f` every
 * new byte (asked every 250 ms; a rotation starts again at the new file's beginning, with
 * a note on stderr) until SIGINT/SIGTERM (exit 0). Worker output is sanitized line by
 * line before it reaches the terminal (src/state/sanitize.ts).
 *
 * Exit codes (as the control verbs): 0 ok · 1 no connection, or the host stopped
 * answering while following · 2 bad target or unknown lane on that host · 3 no runtime of
 * that host answers.
 */
import { connectCore } from '../../runtime/fleet/connect-core.js';
import type { FleetSettings } from '../../runtime/fleet/host.js';
import { parseTarget } from '../../runtime/fleet/keys.js';
import {
  LogRequestError,
  MAX_LOG_CHUNK,
  NoLogServiceError,
  requestLog,
} from '../../runtime/fleet/logs.js';
import { errorMessage } from '../../state/error-text.js';
import { sanitizeMultiline, sanitizeText } from '../../state/sanitize.js';
import { FLEET_EXIT } from './verb-outcome.js';
import { cliClientName } from './settings.js';

const POLL_MS = 250;

/** Print (and with `follow`, follow) the worker log of `target`; resolves with the exit code. */
export async function runFleetLogs(
  fleet: FleetSettings,
  target: string,
  follow: boolean,
): Promise<number> {
  const err = (line: string): void => void process.stderr.write(`laneboard: ${line}\n`);
  const t = parseTarget(target);
  if (!t) {
    err(`logs: the target must be <host>/<lane>, got "${sanitizeText(target, 200)}"`);
    return FLEET_EXIT.usage;
  }
  const name = sanitizeText(`${t.host}/${t.laneId}`, 200);
  let core;
  try {
    core = await connectCore(fleet.url, fleet.creds, cliClientName(fleet));
  } catch (e) {
    err(errorMessage(e));
    return FLEET_EXIT.failed;
  }
  const { nc } = core;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  try {
    let next: number;
    try {
      const first = await requestLog(nc, t.host, t.laneId, { tail: MAX_LOG_CHUNK });
      process.stdout.write(sanitizeMultiline(first.text));
      next = first.next;
    } catch (e) {
      if (e instanceof NoLogServiceError) {
        err(`logs ${name}: ${e.message}`);
        return FLEET_EXIT.noRuntime;
      }
      err(`logs ${name}: ${sanitizeText(errorMessage(e), 300)}`);
      return e instanceof LogRequestError ? FLEET_EXIT.usage : FLEET_EXIT.failed;
    }
    if (!follow) return FLEET_EXIT.ok;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, stop);
    process.stdout.on('error', stop);
    while (!stopped) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (stopped) break;
      try {
        const chunk = await requestLog(nc, t.host, t.laneId, { from: next });
        if (chunk.restarted) err('(log rotated)');
        if (chunk.text !== '') process.stdout.write(sanitizeMultiline(chunk.text));
        next = chunk.next;
      } catch (e) {
        err(`logs ${name}: the host stopped answering (${sanitizeText(errorMessage(e), 300)})`);
        return FLEET_EXIT.failed;
      }
    }
    return FLEET_EXIT.ok;
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, stop);
    await nc.close().catch(() => undefined);
  }
}
