/**
 * A real nats-server for the fleet tests: JetStream on, a temp store dir, a free loopback
 * port (never 4222). `stop()` kills it (SIGKILL, as a crash would), `start()` starts it
 * again on the same port and store dir (the fault tests restart it). Needs `nats-server`
 * on PATH (Debian: `apt-get install -y nats-server`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A running (or stopped) test server. */
export interface TestNats {
  readonly port: number;
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly storeDir: string;
  /** Start (again); resolves once the server accepts clients. */
  start(): Promise<void>;
  /** SIGKILL the server and wait for it to exit. */
  stop(): Promise<void>;
  /** Stop and remove the store dir. */
  dispose(): Promise<void>;
}

/**
 * Start a server. `config` (nats-server config text, without `listen`/`jetstream`) adds
 * authorization blocks for the permission tests.
 */
export async function startNats(config?: string): Promise<TestNats> {
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'lb-nats-'));
  const storeDir = join(root, 'store');
  const args = ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)];
  if (config !== undefined) {
    const file = join(root, 'server.conf');
    writeFileSync(file, config);
    args.push('-c', file);
  }
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    const proc = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`nats-server did not start in 10 s:\n${log}`)),
        10_000,
      );
      proc.stderr?.on('data', (d: Buffer) => {
        log += d.toString('utf8');
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${String(code)}):\n${log}`));
      });
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    proc.stderr?.resume();
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };
  await start();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
