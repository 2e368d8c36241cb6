import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAttention } from '../../../src/runtime/attention/index.js';
import { createNotifier, notificationBytes } from '../../../src/runtime/attention/notifier.js';
import type { Transition } from '../../../src/state/attention.js';
import { DEFAULT_SETTINGS } from '../../../src/state/config-types.js';
import type { NotifySettings } from '../../../src/state/config-types.js';
import { resultDoc, stateDoc, worker } from '../../helpers/attention-fixtures.js';
import { boardWith, waitFor } from '../../helpers/ui-fixtures.js';

const ESC = '\u001b';
const BEL = '\u0007';
const disposers: (() => unknown)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
});

/** A board store with the attention service writing into `out`. */
async function attentionOn(ids: string[], notify: Partial<NotifySettings> = {}) {
  const store = boardWith(ids);
  store.dispatch({
    type: 'lanes/configured',
    lanes: Object.values(store.getState().lanes).map((l) => l.config),
    settings: { ...DEFAULT_SETTINGS, notify: { ...DEFAULT_SETTINGS.notify, ...notify } },
    at: 0,
  });
  const out: string[] = [];
  const att = createAttention({
    store,
    clock: { now: () => Date.now() },
    write: (b) => out.push(b),
    fallbackCwd: os.tmpdir(),
    coalesceMs: 20,
  });
  await att.start();
  disposers.push(() => att.dispose());
  return { store, out, att };
}

describe('notifications: exact bytes', () => {
  it('OSC 9 with the text, BEL-terminated, then one BEL; escapes in the text cannot get out', () => {
    expect(notificationBytes('laneboard: a finished')).toBe(
      `${ESC}]9;laneboard: a finished${BEL}${BEL}`,
    );
    const hostile = notificationBytes(`laneboard: x${BEL}${ESC}]0;pwned${BEL}\u009b2J`);
    expect(hostile.startsWith(`${ESC}]9;`)).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(hostile.slice(4, -2)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it.each([
    [
      'attention',
      [stateDoc('a', 'blocked', { failureClass: 'permission', detail: 'Bash: rm -rf build' })],
      'laneboard: a needs input: permission: Bash: rm -rf build',
    ],
    ['finished', [stateDoc('a', 'finished')], 'laneboard: a finished'],
    [
      'crash_loop',
      [worker('a', { phase: 'crash_loop', restarts: 6, exitCode: 1 })],
      'laneboard: a is in a crash loop',
    ],
    [
      'exited',
      [worker('a', { phase: 'exited', pid: null, exitCode: 3 })],
      'laneboard: a worker ended: exit 3',
    ],
  ] as const)('%s writes exactly one notification', async (_kind, actions, text) => {
    const { store, out } = await attentionOn(['a']);
    store.dispatchAll(actions);
    await waitFor(() => out.length > 0);
    expect(out).toEqual([`${ESC}]9;${text}${BEL}${BEL}`]);
  });

  it('rate limit lifted and red after green (two steps each)', async () => {
    const { store, out, att } = await attentionOn(['a']);
    store.dispatch(stateDoc('a', 'blocked', { failureClass: 'rate_limit', detail: 'usage limit' }));
    store.dispatch(resultDoc('a', 'green'));
    att.notifier.flush();
    expect(out).toEqual([]);
    store.dispatch(stateDoc('a', 'running', undefined, 5));
    att.notifier.flush();
    expect(out).toEqual([`${ESC}]9;laneboard: a rate limit lifted${BEL}${BEL}`]);
    store.dispatch(resultDoc('a', 'red', 7));
    att.notifier.flush();
    expect(out[1]).toBe(`${ESC}]9;laneboard: a red after green${BEL}${BEL}`);
  });

  it('a 50-lane burst writes ONE coalesced notification', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    const { store, out } = await attentionOn(ids);
    for (const id of ids)
      store.dispatch(
        stateDoc(id, 'blocked', { failureClass: 'input_required', detail: 'answer me' }),
      );
    await waitFor(() => out.length > 0);
    await new Promise((r) => setTimeout(r, 60)); // a second window: nothing more may come
    expect(out).toEqual([
      `${ESC}]9;laneboard: 50 lanes need you: l00, l01, l02, l03, l04 +45 more${BEL}${BEL}`,
    ]);
    expect(out.join('').split(BEL).length - 1).toBe(2);
  });

  it('a mixed burst says which lanes need you and which only finished', async () => {
    const { store, out, att } = await attentionOn(['a', 'b', 'c', 'd']);
    store.dispatch(stateDoc('a', 'finished'));
    store.dispatch(stateDoc('b', 'blocked', { failureClass: 'permission', detail: 'Bash' }));
    store.dispatch(stateDoc('c', 'finished'));
    att.notifier.flush();
    expect(out).toEqual([`${ESC}]9;laneboard: 1 lane needs you, 2 finished: a, b, c${BEL}${BEL}`]);
    // Lanes that only finished are never said to need you.
    store.dispatch(stateDoc('d', 'finished'));
    store.dispatch(stateDoc('b', 'running', undefined, 9));
    store.dispatch(stateDoc('b', 'finished', undefined, 10));
    att.notifier.flush();
    expect(out[1]).toBe(`${ESC}]9;laneboard: 2 lanes finished: d, b${BEL}${BEL}`);
  });

  it('muted lanes and kinds turned off do not notify; terminal: false writes nothing', async () => {
    const { store, out, att } = await attentionOn(['a', 'b', 'c'], {
      kinds: { ...DEFAULT_SETTINGS.notify.kinds, finished: false },
    });
    store.dispatch({ type: 'lane/mute', laneId: 'a', muted: true, at: 1 });
    store.dispatch(stateDoc('a', 'blocked', { failureClass: 'permission', detail: 'x' }));
    store.dispatch(stateDoc('b', 'finished'));
    att.notifier.flush();
    expect(out).toEqual([]);
    store.dispatch(stateDoc('c', 'blocked', { failureClass: 'permission', detail: 'y' }));
    att.notifier.flush();
    expect(out).toEqual([`${ESC}]9;laneboard: c needs input: permission: y${BEL}${BEL}`]);

    const quiet = createNotifier({
      write: (b) => out.push(b),
      settings: { ...DEFAULT_SETTINGS.notify, terminal: false },
      isMuted: () => false,
    });
    quiet.push([{ laneId: 'z', event: 'finished', notify: 'finished', text: 'z finished' }]);
    quiet.flush();
    expect(out).toHaveLength(1);
  });

  it('runs the notify command with the text (argv {text} token, or appended)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-notify-'));
    disposers.push(() => rmSync(dir, { recursive: true, force: true }));
    const script = path.join(dir, 'notify.sh');
    writeFileSync(script, '#!/bin/sh\nprintf "%s|" "$@" > "$0.out"\n', { mode: 0o755 });
    const t: Transition = {
      laneId: 'a',
      event: 'finished',
      notify: 'finished',
      text: 'a finished',
    };
    for (const command of [
      [script, '--title', '{text}'],
      [script, 'laneboard'],
    ]) {
      const n = createNotifier({
        write: () => undefined,
        settings: { ...DEFAULT_SETTINGS.notify, terminal: false, command },
        isMuted: () => false,
      });
      n.push([t]);
      n.flush();
      await waitFor(() => existsSync(`${script}.out`), 5_000);
      const got = readFileSync(`${script}.out`, 'utf8');
      rmSync(`${script}.out`);
      expect(got).toBe(
        command.length === 3
          ? '--title|laneboard: a finished|'
          : 'laneboard|laneboard: a finished|',
      );
    }
  });
});
