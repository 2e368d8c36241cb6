/**
 * The board's {@link LaneAdmin} (keys `n`, `D`) for a board on a lanes.yaml: the same
 * steps as `laneboard add` / `laneboard remove` (src/cli/commands), run in the board's
 * process. The board applies the edited lanes.yaml through its live reload, which starts
 * the added lane and stops the removed lane's worker.
 */
import { loadConfig } from '../config/index.js';
import type { LaneAdmin } from '../runtime/types.js';
import { runAdd } from './commands/add.js';
import { describeLoss, lossOf, runRemove } from './commands/remove.js';

/** Lane management on lanes.yaml at `file` (absolute). */
export function createLaneAdmin(file: string): LaneAdmin {
  return {
    async add(id) {
      const lines: string[] = [];
      const r = await runAdd({ id, config: file, log: (l) => lines.push(l), quietSetup: true });
      const head = `added lane ${r.lane.id} (branch ${r.lane.branch}, worktree ${r.lane.worktree})`;
      return r.setupProblems.length > 0 ? `${head}; ${r.setupProblems.join('; ')}` : head;
    },
    async loss(id) {
      const config = await loadConfig(file);
      const lane = config.lanes.find((l) => l.id === id);
      if (lane === undefined) throw new Error(`no lane '${id}' in ${file}`);
      return { worktree: lane.worktree, lost: describeLoss(await lossOf(lane)) };
    },
    async remove(id) {
      const lines: string[] = [];
      await runRemove({ id, force: true, config: file, log: (l) => lines.push(l) });
      return lines.filter((l) => !l.startsWith('removed lane ')).join('; ') || `removed lane ${id}`;
    },
  };
}
