/**
 * A private tmux server (its own socket in the fixture's temp dir) used as the real
 * pseudo-terminal for TUI benchmarks. Each program runs in its own detached session of
 * a fixed size (default 200×60, no status line) with `CI` removed from its environment
 * (docs/pitfalls.md: Ink draws no live frames when CI is set). The pane waits for one Enter
 * before it execs the program, so the output pipe (`pipe-pane -O` into a FIFO this
 * process reads) is attached before the first byte and every byte the program writes
 * is seen with its arrival time.
 */
import { execFileSync } from 'node:child_process';
import { constants, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { alive, killTree, now, processTree, run, waitFor } from './proc.mjs';

/**
 * Quote one word for /bin/sh.
 * @param {string} s Any text.
 * @returns {string} Single-quoted shell word.
 */
export function shQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/**
 * Start a tmux server on a socket inside `dir`.
 * @param {string} dir Existing temp directory (the socket and FIFOs go here).
 * @param {{cols?: number, rows?: number}} [size] Terminal size (default 200×60).
 * @returns {Promise<TmuxServer>} Throws when tmux is missing or cannot start.
 */
export async function startTmux(dir, size = {}) {
  const server = new TmuxServer(dir, size.cols ?? 200, size.rows ?? 60);
  const r = await server.tmux([
    'new-session',
    '-d',
    '-s',
    'keep',
    '-x',
    String(server.cols),
    '-y',
    String(server.rows),
    'exec sleep 1000000',
  ]);
  if (r.code !== 0) throw new Error(`tmux did not start: ${r.error} ${r.stderr}`);
  await server.tmux(['set', '-g', 'status', 'off']);
  await server.tmux(['set', '-g', 'remain-on-exit', 'on']);
  await server.tmux(['set', '-g', 'default-size', `${server.cols}x${server.rows}`]);
  return server;
}

/** One tmux server (see {@link startTmux}). */
export class TmuxServer {
  /**
   * @param {string} dir Temp dir for the socket and FIFOs.
   * @param {number} cols Terminal columns.
   * @param {number} rows Terminal rows.
   */
  constructor(dir, cols, rows) {
    this.dir = dir;
    this.cols = cols;
    this.rows = rows;
    this.sock = join(dir, 'tmux.sock');
    this.env = { ...process.env, SHELL: '/bin/sh', LANG: process.env.LANG || 'C.UTF-8' };
    this.count = 0;
    /** @type {Set<Pane>} */
    this.panes = new Set();
  }

  /**
   * Run one tmux command against this server.
   * @param {string[]} args tmux arguments.
   * @returns {ReturnType<typeof run>}
   */
  tmux(args) {
    return run('tmux', ['-u', '-S', this.sock, '-f', '/dev/null', ...args], {
      env: this.env,
      timeoutMs: 10_000,
    });
  }

  /**
   * Open a session that will run `argv` (started by {@link Pane.start}).
   * @param {{argv: string[], cwd: string, env?: Record<string,string>}} spec Program,
   *   working dir, extra environment.
   * @returns {Promise<Pane>} Throws when tmux refuses.
   */
  async open(spec) {
    this.count += 1;
    const name = `p${this.count}`;
    const fifo = join(this.dir, `${name}.fifo`);
    execFileSync('mkfifo', [fifo]);
    const envArgs = Object.entries(spec.env ?? {}).map(([k, v]) => shQuote(`${k}=${v}`));
    const cmd = [
      'stty -echo 2>/dev/null; read _;',
      'exec env -u CI -u CONTINUOUS_INTEGRATION',
      ...envArgs,
      ...spec.argv.map(shQuote),
    ].join(' ');
    const r = await this.tmux(['new-session', '-d', '-s', name, '-c', spec.cwd, cmd]);
    if (r.code !== 0) throw new Error(`tmux new-session failed: ${r.stderr.trim()}`);
    const pane = new Pane(this, name, fifo);
    this.panes.add(pane);
    const p = await this.tmux(['pipe-pane', '-O', '-t', name, `cat > ${shQuote(fifo)}`]);
    if (p.code !== 0) throw new Error(`tmux pipe-pane failed: ${p.stderr.trim()}`);
    const d = await this.tmux(['display', '-p', '-t', name, '#{pane_pid}']);
    pane.pid = Number(d.stdout.trim());
    return pane;
  }

  /** Close every pane, kill the server and remove the socket. Never throws. */
  async kill() {
    for (const p of [...this.panes]) await p.close();
    await this.tmux(['kill-server']);
    rmSync(this.sock, { force: true });
  }
}

/** One program in a tmux session, with its output stream. */
export class Pane {
  /**
   * @param {TmuxServer} server Owner.
   * @param {string} name Session name.
   * @param {string} fifo FIFO receiving the pane's output.
   */
  constructor(server, name, fifo) {
    this.server = server;
    this.name = name;
    this.fifo = fifo;
    this.pid = 0;
    /** Total bytes the program wrote since {@link start}. */
    this.bytes = 0;
    /** Arrival time of the latest chunk (epoch ms; 0 = none yet). */
    this.lastDataAt = 0;
    /** Arrival time of the first chunk (epoch ms; 0 = none yet). */
    this.firstDataAt = 0;
    /** @type {Array<{t: number, n: number}> | null} chunk log while recording */
    this.log = null;
    /** @type {Array<{t: number, text: string}> | null} chunk text log while set */
    this.textLog = null;
    /** @type {Array<(t: number, text: string) => void>} */
    this.listeners = [];
    this.tail = '';
    this.fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    this.socket = new net.Socket({ fd: this.fd, readable: true, writable: false });
    this.socket.on('data', (buf) => this.onChunk(buf));
    this.socket.on('error', () => undefined);
  }

  /** @param {Buffer} buf */
  onChunk(buf) {
    const t = now();
    this.bytes += buf.length;
    this.lastDataAt = t;
    if (this.firstDataAt === 0) this.firstDataAt = t;
    this.log?.push({ t, n: buf.length });
    const text = this.tail + buf.toString('latin1');
    this.tail = text.slice(-256);
    this.textLog?.push({ t, text });
    for (const l of [...this.listeners]) l(t, text);
  }

  /**
   * Let the program start (it is waiting for Enter).
   * @returns {Promise<number>} Epoch ms just before the key was sent (t0 of cold start).
   */
  async start() {
    const t0 = now();
    await this.server.tmux(['send-keys', '-t', this.name, 'Enter']);
    return t0;
  }

  /**
   * Send keys (tmux key names: `r`, `PgDn`, `Enter`, `Escape`, `g`).
   * @param {...string} keys Keys in order.
   */
  async keys(...keys) {
    await this.server.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** @returns {Promise<string>} The visible screen as plain text (one line per row). */
  async capture() {
    const r = await this.server.tmux(['capture-pane', '-p', '-t', this.name]);
    return r.stdout;
  }

  /**
   * Resolve when `text` appears in the output (ASCII, searched across chunk joins).
   * @param {string} text Marker (≤ 200 chars).
   * @param {number} timeoutMs Give up after this long.
   * @returns {Promise<number|null>} Arrival time (epoch ms) of the chunk that completed
   *   it, or null on timeout.
   */
  waitForText(text, timeoutMs) {
    return new Promise((resolve) => {
      const done = (v) => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((x) => x !== listener);
        resolve(v);
      };
      const listener = (t, chunk) => {
        if (chunk.includes(text)) done(t);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      this.listeners.push(listener);
    });
  }

  /**
   * Resolve with the arrival time of the output that made `predicate(screen)` true.
   * The screen is captured whenever output arrives (one capture in flight) and every
   * 250 ms; the time reported is the arrival of the latest chunk seen before that
   * capture returned (an upper bound of when the frame was drawn).
   * @param {(screen: string) => boolean} predicate Completeness test.
   * @param {number} timeoutMs Give up after this long.
   * @returns {Promise<{t: number, screen: string} | {t: null, screen: string}>}
   */
  waitForScreen(predicate, timeoutMs) {
    return new Promise((resolve) => {
      let busy = false;
      let again = false;
      let finished = false;
      let last = '';
      const finish = (t) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        clearInterval(tick);
        this.listeners = this.listeners.filter((x) => x !== listener);
        resolve({ t, screen: last });
      };
      const check = async () => {
        if (finished) return;
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        const screen = await this.capture();
        const stamp = this.lastDataAt;
        last = screen;
        busy = false;
        if (stamp > 0 && predicate(screen)) return finish(stamp);
        if (again) {
          again = false;
          void check();
        }
      };
      const listener = () => void check();
      const tick = setInterval(() => void check(), 250);
      const timer = setTimeout(() => finish(null), timeoutMs);
      this.listeners.push(listener);
    });
  }

  /**
   * Stop the program: SIGTERM (its own shutdown path), wait up to `graceMs`, then SIGKILL
   * the whole tree; kill the session and close the FIFO. Never throws.
   * @param {number} [graceMs] Grace period (default 8000 ms).
   * @returns {Promise<number|null>} ms the program took to exit after SIGTERM, or null.
   */
  async close(graceMs = 8000) {
    if (!this.server.panes.has(this)) return null;
    this.server.panes.delete(this);
    let exitMs = null;
    const tree = this.pid > 0 ? processTree(this.pid) : [];
    if (this.pid > 0 && alive(this.pid)) {
      const t0 = now();
      try {
        process.kill(this.pid, 'SIGTERM');
      } catch {
        // gone
      }
      const ok = await waitFor(() => !alive(this.pid), graceMs, 25);
      exitMs = ok ? now() - t0 : null;
      if (!ok) killTree(this.pid);
    }
    // Whatever the program left behind (children it did not stop) goes too.
    for (const pid of tree) {
      if (!alive(pid)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone or not ours
      }
    }
    await this.server.tmux(['kill-session', '-t', this.name]);
    this.socket.destroy(); // closes the FIFO descriptor
    rmSync(this.fifo, { force: true });
    return exitMs;
  }
}
