/**
 * A pool of real writer processes (`bench/fixture/writer.mjs`), each writing the bridge
 * files of up to `perWriter` lanes, controlled over stdin/stdout JSON lines.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { alive, waitFor } from './proc.mjs';

const WRITER = fileURLToPath(new URL('../fixture/writer.mjs', import.meta.url));

/** Every writer child started by this module (killed by {@link killAllWriters}). */
const live = new Set();

/** SIGKILL every writer still running (used on abnormal exit). */
export function killAllWriters() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // gone
    }
  }
}

function startOne(bridgeRoot, ids) {
  const child = spawn(process.execPath, [WRITER, JSON.stringify({ bridgeRoot, ids })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  const pending = new Map();
  let req = 0;
  let ready;
  const readyP = new Promise((r) => (ready = r));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.ready) ready(true);
    const p = pending.get(msg.req);
    if (p) {
      pending.delete(msg.req);
      p(msg);
    }
  });
  child.on('exit', () => {
    ready(false);
    for (const p of pending.values()) p({ error: 'writer exited' });
    pending.clear();
  });
  const send = (cmd) =>
    new Promise((resolve) => {
      req += 1;
      pending.set(req, resolve);
      child.stdin.write(`${JSON.stringify({ ...cmd, req })}\n`);
    });
  return { child, ids, send, ready: readyP };
}

/**
 * Start writers for `ids` (each lane gets its initial state.json and one event before
 * this resolves).
 * @param {string} bridgeRoot Directory holding one bridge dir per lane id.
 * @param {string[]} ids Lane ids.
 * @param {number} [perWriter] Lanes per writer process (default 25).
 * @returns {Promise<WriterPool>} Throws when a writer fails to start.
 */
export async function startWriters(bridgeRoot, ids, perWriter = 25) {
  const writers = [];
  for (let i = 0; i < ids.length; i += perWriter) {
    writers.push(startOne(bridgeRoot, ids.slice(i, i + perWriter)));
  }
  const ok = await Promise.all(writers.map((w) => w.ready));
  const pool = new WriterPool(writers);
  if (ok.includes(false)) {
    await pool.stop();
    throw new Error('a writer process failed to start');
  }
  return pool;
}

/** Control of a set of writer processes. */
export class WriterPool {
  constructor(writers) {
    this.writers = writers;
  }

  /** @returns {number} Number of writer processes. */
  get size() {
    return this.writers.length;
  }

  /**
   * Set every lane's write rate, or only that of `only` (every other lane goes quiet).
   * @param {number} hz Writes per second per lane (0 = quiet).
   * @param {string[]} [only] Lane ids that write; absent = every lane.
   */
  async rate(hz, only) {
    await Promise.all(
      this.writers.map((w) =>
        w.send(only ? { cmd: 'rate', hz, lanes: only } : { cmd: 'rate', hz }),
      ),
    );
  }

  /**
   * Make `marker` the lane's status and phase, written now.
   * @param {string} id Lane id.
   * @param {string} marker ASCII marker.
   * @returns {Promise<number|null>} Epoch ms right after the rename, null on error.
   */
  async mark(id, marker) {
    const w = this.writers.find((x) => x.ids.includes(id));
    if (!w) return null;
    const r = await w.send({ cmd: 'mark', lane: id, marker });
    return typeof r.t === 'number' ? r.t : null;
  }

  /** @returns {Promise<Record<string,string>>} Lane id → final phase written. */
  async final() {
    const all = await Promise.all(this.writers.map((w) => w.send({ cmd: 'final' })));
    return Object.assign({}, ...all.map((r) => r.finals ?? {}));
  }

  /** @returns {Promise<number>} Total state.json writes so far. */
  async count() {
    const all = await Promise.all(this.writers.map((w) => w.send({ cmd: 'count' })));
    return all.reduce((s, r) => s + (r.writes ?? 0), 0);
  }

  /** @returns {number[]} Writer pids. */
  pids() {
    return this.writers.map((w) => w.child.pid ?? 0);
  }

  /** Close every writer's stdin (it exits), SIGKILL any still alive after 3 s. */
  async stop() {
    for (const w of this.writers) w.child.stdin.end();
    await waitFor(() => this.pids().every((p) => p === 0 || !alive(p)), 3000, 25);
    for (const w of this.writers) {
      if (w.child.pid && alive(w.child.pid)) w.child.kill('SIGKILL');
    }
  }
}
