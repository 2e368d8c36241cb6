/**
 * The {@link LaneAdmin} of ./lane-admin.ts (the steps of `laneboard add` / `remove`) for a
 * lanes.yaml, loaded on first use: a runtime that serves it on its control endpoint
 * (`laneboard serve`) starts without loading the config editor, the add / remove steps or
 * their git code.
 */
import type { LaneAdmin } from '../runtime/types.js';

/** Lane management on lanes.yaml at `file` (absolute), its module loaded on first use. */
export function lazyLaneAdmin(file: string): LaneAdmin {
  let admin: Promise<LaneAdmin> | null = null;
  const load = (): Promise<LaneAdmin> =>
    (admin ??= import('./lane-admin.js').then((m) => m.createLaneAdmin(file)));
  return {
    add: async (id) => (await load()).add(id),
    loss: async (id) => (await load()).loss(id),
    remove: async (id) => (await load()).remove(id),
  };
}
