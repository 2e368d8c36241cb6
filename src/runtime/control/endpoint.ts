/**
 * Claiming the control socket, which is also the lock that allows one runtime per
 * lanes.yaml: `listen()` on `<stateDir>/control.sock` fails with EADDRINUSE when the file
 * exists; then a runtime that answers `GET /v1/health` owns the lanes (the caller refuses
 * or attaches), while a socket nobody answers (a runtime killed with SIGKILL) is stale:
 * it is removed and the socket claimed again — never trusted.
 * The state dir is created with mode 0700 and the socket with 0600 (umask during listen).
 */
import { chmod, mkdir, unlink } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Health } from './protocol.js';
import { socketPath } from './protocol.js';
import { probeRuntime } from './client.js';

/** Thrown by {@link claimEndpoint} when a live runtime already serves the socket. */
export class RuntimeRunningError extends Error {
  override readonly name = 'RuntimeRunningError';
  constructor(readonly health: Health) {
    super(`a runtime is already running for ${health.config} (pid ${health.pid}, ${health.kind})`);
  }
}

/** A claimed endpoint: the listening server; `close()` stops it and removes the socket. */
export interface Endpoint {
  readonly server: Server;
  readonly path: string;
  close(): Promise<void>;
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    const old = process.umask(0o177);
    try {
      server.listen(path);
    } finally {
      process.umask(old);
    }
  });
}

/**
 * Claim `<stateDir>/control.sock` and serve `handler` on it.
 * @throws RuntimeRunningError when a live runtime answers on the socket; an Error with
 *   the OS reason when the socket cannot be created (path too long: Unix sockets allow
 *   107 bytes, permissions).
 */
export async function claimEndpoint(stateDir: string, handler: RequestListener): Promise<Endpoint> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700).catch(() => undefined);
  const path = socketPath(stateDir);
  if (Buffer.byteLength(path) > 107) {
    throw new Error(`control socket path is too long for a Unix socket (${path})`);
  }
  const server = createServer(handler);
  server.keepAliveTimeout = 1_000;
  for (let attempt = 0; ; attempt++) {
    try {
      await listen(server, path);
      break;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EADDRINUSE' || attempt >= 2) throw err;
      const health = await probeRuntime(path);
      if (health !== null) throw new RuntimeRunningError(health);
      // Stale: the runtime that made it is gone. Remove and claim again.
      await unlink(path).catch(() => undefined);
    }
  }
  await chmod(path, 0o600).catch(() => undefined);
  let closing: Promise<void> | null = null;
  return {
    server,
    path,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => undefined);
      return closing;
    },
  };
}
