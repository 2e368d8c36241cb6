/**
 * The launcher's front door (dist/fast.cjs, loaded by bin/laneboard.js): a CommonJS
 * bundle of the lean client path (./fast.ts), because Node loads its built-in modules
 * (node:http, node:fs) for CommonJS without the ES-module facades that cost an ES module
 * entry several milliseconds — `--json` answered by a runtime is meant to cost little more
 * than `node -e 0`. When the lean path declines, the ES-module CLI (dist/cli.js) runs
 * the command as always (and tries the lean path only for the attached board). The fleet
 * snapshot (`--json --nats`) and the fleet verbs have lean paths of their own
 * (dist/fleet-json.cjs, dist/fleet-verb.cjs).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runFast } from './fast.js';
import { requireWithCodeCache } from './code-cache.js';
import { parseLeanFleetJson, parseLeanFleetVerb } from './fleet/lean-args.js';
import type { runLeanFleetJson } from './fleet/json-lean.js';
import type { runLeanFleetVerb } from './fleet/verb-lean.js';

/** Set on globalThis once this front door declined, so dist/cli.js does not probe again. */
export const FAST_TRIED = Symbol.for('laneboard.fastTried');

const argv = process.argv.slice(2);

/**
 * The lean fleet commands (./fleet/lean-args.ts), each a bundle of its own so the control
 * verbs' front door stays small: `laneboard --json --nats URL` (dist/fleet-json.cjs) and
 * `laneboard restart|stop|start|clear <host>/<lane> --nats URL` (dist/fleet-verb.cjs),
 * loaded with a V8 code cache (./code-cache.ts). Null: not served.
 */
async function fleetLean(): Promise<number | null> {
  const load = (file: string): unknown => requireWithCodeCache(path.join(__dirname, file));
  const json = parseLeanFleetJson(argv, process.env, () => existsSync('lanes.yaml'));
  if (json !== null) {
    const lean = load('fleet-json.cjs') as { runLeanFleetJson: typeof runLeanFleetJson };
    return lean.runLeanFleetJson(json);
  }
  const verb = parseLeanFleetVerb(argv, process.env);
  if (verb !== null) {
    const lean = load('fleet-verb.cjs') as { runLeanFleetVerb: typeof runLeanFleetVerb };
    return lean.runLeanFleetVerb(verb);
  }
  return null;
}

fleetLean()
  .then((code) => code ?? runFast(argv))
  .then(
    async (code) => {
      if (code !== null) process.exit(code);
      (globalThis as Record<symbol, unknown>)[FAST_TRIED] = true;
      await import(pathToFileURL(path.join(__dirname, 'cli.js')).href);
    },
    (err: unknown) => {
      process.stderr.write(`laneboard: unexpected error: ${String(err)}\n`);
      process.exit(1);
    },
  );
