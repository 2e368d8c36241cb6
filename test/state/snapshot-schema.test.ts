/**
 * The snapshot contract is defined once (src/state/snapshot-schema.ts): the checked-in
 * schema/snapshot.schema.json must be what the zod definition generates (run
 * `npm run gen:schema` after changing it), and the fields other parts add (origin, git.diff,
 * fleet host/hostOnline/seq/hosts) stay in it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/state/config-types.js';
import { snapshotJsonSchema, snapshotSchema } from '../../src/state/snapshot-schema.js';
import { selectSnapshot } from '../../src/state/snapshot.js';
import { createBoardStore } from '../../src/state/store.js';

const published = JSON.parse(
  readFileSync(new URL('../../schema/snapshot.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('snapshot schema', () => {
  it('is generated from the zod definition (npm run gen:schema)', () => {
    expect(published).toEqual(snapshotJsonSchema());
  });

  it('keeps the fields added by the control endpoint, attention and the fleet', () => {
    const props = published.properties as Record<string, { items?: { properties: object } }>;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['origin', 'hosts']));
    const lane = props.lanes?.items?.properties as Record<string, { properties?: object }>;
    expect(Object.keys(lane)).toEqual(expect.arrayContaining(['host', 'hostOnline', 'seq']));
    expect(Object.keys(lane.git?.properties ?? {})).toContain('diff');
  });

  it('accepts what selectSnapshot builds (zod parse)', () => {
    const s = createBoardStore();
    s.dispatch({
      type: 'lanes/configured',
      lanes: [
        {
          id: 'a',
          repo: '/r',
          worktree: '/wt/a',
          branch: 'lane/a',
          base: 'main',
          command: ['agent'],
          env: {},
          bridge: '/b/a',
          autostart: true,
          restart: 'on-failure',
          steer: { mode: 'inbox' },
          createWorktree: false,
          dialect: 'auto',
          requiredLevel: 'package',
        },
      ],
      settings: DEFAULT_SETTINGS,
      at: Date.parse('2026-11-20T10:00:00Z'),
    });
    const snap = { ...selectSnapshot(s.getState()), origin: 'probe' };
    expect(snapshotSchema.safeParse(snap).success).toBe(true);
    expect(snapshotSchema.safeParse({ ...snap, extra: 1 }).success).toBe(false);
  });
});
