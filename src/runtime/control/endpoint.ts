/**
 * Claiming the control socket, which is also the lock that allows one runtime per
 * lanes.yaml: `listen()` on `<stateDir>/control.sock` (`control.<name>.sock` for a
 * config file not named lanes.yaml, ./protocol.ts `socketPath`) fails with EADDRINUSE when the file
 * exists; then a runtime that answers `GET /v1/health` owns the lanes (the caller refuses
 * or attaches), while a socket nobody listens on (a runtime killed with SIGKILL) is stale:
 * it is removed and the socket claimed again — never trusted. Removing a stale socket
 * happens only under a short-lived lock file (`<socket>.lock`, O_EXCL) after a second
 * probe, so of several runtimes starting at the same instant exactly one wins.
 *
 * A state dir so deep that `<stateDir>/control.sock` exceeds the Unix socket path limit
 * (107 bytes) gets its socket in a private short directory — `$XDG_RUNTIME_DIR/laneboard/`
 * when that variable names an absolute directory, else `<os.tmpdir()>/laneboard-<uid>/`
 * (mode 0700, owned by this user, not a symlink) — named after a hash of the state dir,
 * and `<stateDir>/control.sock` becomes a symlink to it (clients follow it:
 * ./protocol.ts `connectPath`).
 * The state dir is created with mode 0700 and a `.gitignore` of `*` (../bridge/own-dir.ts), the
 * socket with 0600 (umask during listen).
 */
import { createHash } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  open,
  readlink,
  rename,
  stat,
  symlink,
  unlink,
} from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { makeOwnDir } from '../bridge/own-dir.js';
import { MAX_SOCKET_PATH_BYTES, socketPath, type Health } from './protocol.js';
import { probeSocket } from './client.js';

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
  /** The socket the server listens on (the short fallback path for a deep state dir). */
  readonly path: string;
  close(): Promise<void>;
}

/** A lock file older than this (ms) was left by a process that died while holding it. */
const LOCK_STALE_MS = 10_000;
/** How long a claim keeps retrying while another runtime holds the lock (ms). */
const CLAIM_GIVE_UP_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const codeOf = (err: unknown): unknown => (err as { code?: unknown }).code;

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
 * The short socket path for an over-long socket path `link` (in a deep state dir):
 * `<dir>/<16 hex of sha256(link)>.sock` with `<dir>` from `$XDG_RUNTIME_DIR` or the temp
 * dir (see the module doc).
 */
function fallbackSocketPath(link: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(link).digest('hex').slice(0, 16);
  const xdg = env.XDG_RUNTIME_DIR;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const dir =
    xdg !== undefined && isAbsolute(xdg)
      ? join(xdg, 'laneboard')
      : join(tmpdir(), `laneboard-${uid}`);
  return join(dir, `${hash}.sock`);
}

/** Create `dir` 0700 and check it is a real directory of this user that nobody else can enter. */
async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (!st.isDirectory() || st.uid !== uid) {
    throw new Error(
      `${dir} (for the control socket) is not a directory of this user; remove it or set XDG_RUNTIME_DIR`,
    );
  }
  if ((st.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

/** Take `<path>.lock` (O_EXCL); null while another live claim holds it. */
async function tryLock(path: string): Promise<(() => Promise<void>) | null> {
  const file = `${path}.lock`;
  try {
    const fh = await open(file, 'wx', 0o600);
    await fh.writeFile(String(process.pid)).finally(() => fh.close());
    return () => unlink(file).catch(() => undefined);
  } catch (err) {
    if (codeOf(err) !== 'EEXIST') throw err;
    const st = await stat(file).catch(() => null);
    if (st !== null && Date.now() - st.mtimeMs > LOCK_STALE_MS) {
      await unlink(file).catch(() => undefined);
    }
    return null;
  }
}

/** Listen on `path`, replacing a stale socket under the lock (see the module doc). */
async function claimPath(server: Server, path: string): Promise<void> {
  const giveUp = Date.now() + CLAIM_GIVE_UP_MS;
  for (;;) {
    try {
      await listen(server, path);
      return;
    } catch (err) {
      if (codeOf(err) !== 'EADDRINUSE') throw err;
    }
    const first = await probeSocket(path);
    if (first.state === 'live') throw new RuntimeRunningError(first.health);
    if (first.state === 'unknown') throw new Error(`${path}: ${first.reason}; not claiming it`);
    const release = await tryLock(path);
    if (release === null) {
      if (Date.now() > giveUp) throw new Error(`${path}: another runtime keeps claiming it`);
      await sleep(20 + Math.random() * 30);
      continue;
    }
    try {
      // Under the lock: the socket may have been claimed since the first probe.
      const again = await probeSocket(path);
      if (again.state === 'live') throw new RuntimeRunningError(again.health);
      if (again.state === 'unknown') throw new Error(`${path}: ${again.reason}; not claiming it`);
      await unlink(path).catch(() => undefined);
      try {
        await listen(server, path);
        return;
      } catch (err) {
        // Someone listened between the unlink and our listen: probe them next round.
        if (codeOf(err) !== 'EADDRINUSE') throw err;
      }
    } finally {
      await release();
    }
  }
}

/** Point `link` at `target` atomically (a symlink written beside it, then renamed over it). */
async function pointLink(link: string, target: string): Promise<void> {
  const tmp = `${link}.${process.pid}.tmp`;
  await unlink(tmp).catch(() => undefined);
  await symlink(target, tmp);
  await rename(tmp, link);
}

/**
 * Claim the control socket of config `configFile` in `stateDir` (./protocol.ts
 * `socketPath`) and serve `handler` on it.
 * @throws RuntimeRunningError when a live runtime answers on the socket; an Error with
 *   the reason when something else holds it, or the socket cannot be created
 *   (permissions, a fallback directory that is not this user's).
 */
export async function claimEndpoint(
  stateDir: string,
  configFile: string,
  handler: RequestListener,
): Promise<Endpoint> {
  await makeOwnDir(stateDir, 0o700);
  await chmod(stateDir, 0o700).catch(() => undefined);
  const link = socketPath(stateDir, configFile);
  const deep = Buffer.byteLength(link) > MAX_SOCKET_PATH_BYTES;
  let path = link;
  if (deep) {
    path = fallbackSocketPath(link);
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
      throw new Error(`no short path for the control socket (${path}); set XDG_RUNTIME_DIR`);
    }
    // A runtime started with another XDG_RUNTIME_DIR / TMPDIR is found through the link.
    const current = await readlink(link).catch(() => null);
    if (current !== null && current !== path) {
      const other = await probeSocket(current);
      if (other.state === 'live') throw new RuntimeRunningError(other.health);
    }
    await ensurePrivateDir(dirname(path));
  }
  const server = createServer(handler);
  server.keepAliveTimeout = 1_000;
  await claimPath(server, path);
  await chmod(path, 0o600).catch(() => undefined);
  if (deep) {
    try {
      await pointLink(link, path);
    } catch (err) {
      await new Promise<void>((r) => server.close(() => r()));
      throw err;
    }
  }
  let closing: Promise<void> | null = null;
  return {
    server,
    path,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(async () => {
        if (deep && (await readlink(link).catch(() => null)) === path) {
          await unlink(link).catch(() => undefined);
        }
      });
      return closing;
    },
  };
}
