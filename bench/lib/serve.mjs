/**
 * A real `laneboard serve` for the control benchmark (bench/suites/control.mjs): start it
 * for a lanes.yaml and wait until its snapshot is complete, and read its JSON routes over
 * the control socket (docs/control.md).
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { CLI, runtimeFile } from './board.mjs';
import { waitFor } from './proc.mjs';

/**
 * GET a JSON route of the control endpoint.
 * @param {string} socket Unix socket path.
 * @param {string} path Route (`/v1/snapshot`).
 * @returns {Promise<any|null>} Parsed body of a 200 answer; null otherwise. Never throws.
 */
export function getJson(socket, path) {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path, headers: { host: 'laneboard' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? JSON.parse(text) : null);
        } catch {
          resolve(null);
        }
      });
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/**
 * Start `laneboard serve` for `config` and wait until its snapshot lists `n` lanes with
 * git read and a live worker on l000.
 * @returns {Promise<{pid: number, socket: string, stop: () => Promise<void>}>} Throws
 *   (with serve's last stderr) when it is not ready within 180 s.
 */
export async function startServe(ctx, config, n) {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config], {
    cwd: ctx.fx.root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err = (err + String(d)).slice(-4000)));
  const exited = new Promise((r) => child.once('exit', r));
  let stopping = null;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(t);
      }
    })());
  ctx.cleanups.push(stop);
  const socket = join(ctx.fx.root, '.laneboard', runtimeFile('control', '.sock', config));
  const ready = await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error('exited');
      const s = await getJson(socket, '/v1/snapshot');
      const lanes = s?.lanes ?? [];
      const read = lanes.filter(
        (l) => l.git?.freshness === 'stale' || l.git?.freshness === 'fresh',
      );
      const l0 = lanes.find((l) => l.id === 'l000');
      return lanes.length === n && read.length === n && typeof l0?.worker?.pid === 'number';
    },
    180_000,
    100,
  );
  if (!ready) {
    await stop();
    throw new Error(`serve at N=${n} not ready (exit ${child.exitCode}); stderr:\n${err}`);
  }
  return { pid: child.pid, socket, stop };
}
