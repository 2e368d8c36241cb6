/**
 * Micro-benchmark of the board's render cost: the real App rendered by Ink into a fake
 * TTY (default 200×60, the bench's tmux size), fed the same kind of store updates the
 * runtime dispatches. Prints one JSON line: CPU ms (process.cpuUsage, this process only,
 * so other load on the machine matters less than for wall times) of the first render and
 * the mean CPU ms and bytes per update that changes one visible lane.
 *
 *   NODE_ENV=production node --import tsx bench/micro/render.tsx [lanes=50] [updates=40] [cols=200] [rows=60]
 *
 * Run it a few times and compare medians; the first render includes JIT warm-up.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { render } from 'ink';
import { App } from '../../src/ui/App.js';
import { colorTheme } from '../../src/ui/theme.js';
import { T0, boardWith, recordingControls } from '../../test/helpers/ui-fixtures.js';

const [N = 50, K = 40, COLS = 200, ROWS = 60] = process.argv.slice(2).map(Number);
const ids = Array.from({ length: N }, (_, i) => `l${String(i).padStart(3, '0')}`);
const store = boardWith(ids);

let bytes = 0;
let onWrite: (() => void) | null = null;
/** A TTY-like sink that counts bytes and wakes whoever waits for the next frame. */
class Sink extends Writable {
  isTTY = true;
  columns = COLS;
  rows = ROWS;
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    bytes += chunk.length;
    const wake = onWrite;
    onWrite = null;
    wake?.();
    cb();
  }
}
const stdin = Object.assign(new EventEmitter(), {
  isTTY: true,
  setRawMode: () => undefined,
  setEncoding: () => undefined,
  resume: () => undefined,
  pause: () => undefined,
  ref: () => undefined,
  unref: () => undefined,
  read: () => null,
});
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const nextWrite = () => new Promise<void>((r) => (onWrite = r));

const c0 = cpuMs();
const first = nextWrite();
const app = render(
  <App
    store={store}
    controls={recordingControls()}
    title="bench"
    onExit={() => undefined}
    theme={colorTheme}
    home={null}
  />,
  {
    stdout: new Sink() as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
  },
);
await first;
const firstRenderCpuMs = cpuMs() - c0;

const c1 = cpuMs();
const b1 = bytes;
for (let k = 0; k < K; k += 1) {
  const laneId = ids[(k * 7) % Math.min(N, ROWS - 20)] ?? 'l000';
  const written = nextWrite();
  store.dispatch({
    type: 'bridge/doc',
    laneId,
    kind: 'state',
    file: 'state.json',
    raw: { status: `s${k}`, phase: `p${k}` },
    at: T0 + k,
  });
  await written;
}
console.log(
  JSON.stringify({
    lanes: N,
    terminal: `${COLS}x${ROWS}`,
    firstRenderCpuMs: Math.round(firstRenderCpuMs),
    updateCpuMs: Number(((cpuMs() - c1) / K).toFixed(2)),
    bytesPerUpdate: Math.round((bytes - b1) / K),
  }),
);
app.unmount();
process.exit(0);
