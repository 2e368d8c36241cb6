/**
 * Notification helpers of the end-to-end tests: the exact OSC 9 bytes, the notification
 * texts a real terminal received (tmux `pipe-pane` bytes), waiting for one, and the native
 * bridge documents that cause transitions.
 */
import { waitFor } from './e2e-cli.js';
import type { BoardTerm } from './e2e-tmux.js';

const ESC = '\u001b';
const BEL = '\u0007';

/** The exact bytes of one notification with `text`: `ESC ] 9 ; text BEL BEL`. */
export const osc9 = (text: string): string => `${ESC}]9;${text}${BEL}${BEL}`;

/** Texts of the notifications in `raw` (terminal bytes), in order. */
export const notifications = (raw: string): string[] =>
  // eslint-disable-next-line no-control-regex
  [...raw.matchAll(/\u001b\]9;([^\u0007]*)\u0007\u0007/g)].map((m) => m[1] ?? '');

/** A state.json of the native dialect, heartbeat now. */
export function state(status: string, blocker?: { failureClass: string; detail: string }) {
  return {
    schema: 'laneboard.state/1',
    status,
    ...(blocker ? { blocker } : {}),
    updatedAt: new Date().toISOString(),
  };
}

/**
 * Wait (≤ 15 s) until `term` has written the notification `text`; returns every
 * notification text it wrote so far.
 */
export async function notified(term: BoardTerm, text: string): Promise<string[]> {
  return waitFor(
    () => {
      const all = notifications(term.bytes());
      return all.includes(text) && all;
    },
    `the notification ${JSON.stringify(text)}`,
    {
      timeoutMs: 15_000,
      detail: () =>
        `notifications: ${JSON.stringify(notifications(term.bytes()))}\nframe:\n${term.capture()}`,
    },
  );
}
