/**
 * The board's lane management keys: `n` (new lane: a prompt for the id, then
 * `Controls.lanes.add`) and `D` (remove: a confirmation naming what would be lost, then
 * `Controls.lanes.remove`). Results and failures go to the status line. A board without
 * lanes.yaml (discovered) has no `Controls.lanes`: the keys say how to get one.
 */
import type { Controls } from '../runtime/types.js';
import { sanitizeText } from '../state/sanitize.js';
import type { UiStore } from './ui-store.js';

type Tone = 'plain' | 'ok' | 'warn' | 'bad' | 'info';

/** The lane management commands of one board. */
export interface LaneCommands {
  /** `n`: open the new-lane prompt. */
  openAdd(): void;
  /** The new-lane prompt was submitted with `id`. */
  add(id: string): void;
  /** `D` on lane `id`: find what would be lost, then ask. */
  askRemove(id: string): void;
  /** The remove confirmation was answered yes. */
  remove(id: string): void;
}

const NO_FILE = 'this board has no lanes.yaml to add lanes to: run `laneboard init` first';
const errText = (e: unknown): string => sanitizeText(e instanceof Error ? e.message : e, 300);

/** Create the lane commands over `controls.lanes`, reporting through `status`. */
export function createLaneCommands(
  ui: UiStore,
  controls: Controls,
  status: (text: string, tone?: Tone) => void,
): LaneCommands {
  const run = (doing: string, op: () => Promise<string>, failed: string): void => {
    status(doing);
    void Promise.resolve()
      .then(op)
      .then(
        (line) => status(sanitizeText(line, 300), 'ok'),
        (e: unknown) => status(`${failed}: ${errText(e)}`, 'bad'),
      );
  };
  return {
    openAdd() {
      if (controls.lanes === undefined) return status(NO_FILE, 'warn');
      ui.dispatch({ type: 'prompt/open', laneId: '', purpose: 'add' });
    },
    add(id) {
      const admin = controls.lanes;
      if (admin === undefined) return status(NO_FILE, 'warn');
      run(`adding lane ${id}…`, () => admin.add(id), `add ${id} failed`);
    },
    askRemove(id) {
      const admin = controls.lanes;
      if (admin === undefined) return status(NO_FILE, 'warn');
      status(`checking what removing ${id} would lose…`);
      void Promise.resolve()
        .then(() => admin.loss(id))
        .then(
          ({ worktree, lost }) => {
            const what = lost === null ? 'nothing uncommitted or unique is lost' : `LOSES ${lost}`;
            const question = `Remove lane ${id}? Deletes worktree ${worktree}: ${what}; the branch is deleted only if merged. (y/n)`;
            ui.dispatch({ type: 'status', status: null });
            ui.dispatch({ type: 'confirm', open: true, removal: { laneId: id, question } });
          },
          (e: unknown) => status(`remove ${id}: ${errText(e)}`, 'bad'),
        );
    },
    remove(id) {
      const admin = controls.lanes;
      if (admin === undefined) return status(NO_FILE, 'warn');
      run(`removing lane ${id}…`, () => admin.remove(id), `remove ${id} failed`);
    },
  };
}
