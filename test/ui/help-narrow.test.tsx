/**
 * The help overlay on an 80-column terminal: every help text is readable in full (wrapped
 * under its key, never cut with an ellipsis), and scrolling reaches the last line.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { helpLines } from '../../src/ui/help-lines.js';
import { KEYMAP } from '../../src/ui/keymap.js';
import { monoTheme } from '../../src/ui/theme.js';
import {
  KEYS,
  boardWith,
  recordingControls,
  resizeTo,
  waitForFrame,
} from '../helpers/ui-fixtures.js';

const mounted: ReturnType<typeof render>[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

describe('help overlay at 80 columns', () => {
  it('wraps long help texts under their key; no line is wider than the terminal', () => {
    const lines = helpLines(80).map((l) => l.text);
    for (const l of lines) expect(l.length).toBeLessThan(80);
    const joined = lines.map((l) => l.trim()).join(' ');
    for (const b of KEYMAP) expect(joined).toContain(b.help);
    expect(lines).toContain('                   allow once, n deny');
  });

  it('shows the whole text of a long binding on screen, with no ellipsis', async () => {
    const r = render(
      <App
        store={boardWith(['auth'])}
        controls={recordingControls()}
        title="t"
        onExit={() => undefined}
        theme={monoTheme}
        home={null}
      />,
    );
    mounted.push(r);
    await resizeTo(r, 80, 60);
    r.stdin.write('?');
    let f = await waitForFrame(r.lastFrame, (x) => x.includes('Help'));
    expect(f).toContain('answer the lane’s permission request (approvals: board): y');
    expect(f).toContain('allow once, n deny');
    expect(f).not.toContain('…');
    r.stdin.write('G');
    f = await waitForFrame(r.lastFrame, (x) => x.includes('any other key is text.'));
    expect(f).toContain('In the steer prompt and the filter');
    r.stdin.write(KEYS.escape);
  });
});
