/**
 * Lazy loader for Ink, React and the board UI. Ink decides once, at import, whether it
 * runs in CI (`is-in-ci`: CI or CONTINUOUS_INTEGRATION set) and then draws no live frames
 * (docs/pitfalls.md). An operator who runs the board on a TTY wants the live board even when
 * their shell exports CI, so for an interactive TTY the variables are hidden during the
 * import and restored right after (workers still inherit the operator's environment).
 *
 * Ink's layout engine (yoga-layout) loads its WebAssembly from a base64 `data:` URL with
 * `fetch()` whenever a global `fetch` exists; in Node 20 the first call to `fetch` loads
 * undici (startup time and memory; docs/performance.md, "Measured choices"). Nothing in
 * laneboard uses `fetch`, so it is hidden during the import too and yoga takes its
 * synchronous base64 path (the same bytes).
 */
import type * as Ink from 'ink';
import type * as ReactNs from 'react';
import type { App as AppType } from '../ui/App.js';

/** What the board needs from the UI layer. */
export interface InkModules {
  readonly render: typeof Ink.render;
  readonly React: typeof ReactNs.default;
  readonly App: typeof AppType;
}

/** Import ink, react and the App component. */
export async function importInk(): Promise<InkModules> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  const hide = process.stdout.isTTY === true && process.env.LANEBOARD_RESPECT_CI !== '1';
  if (hide) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  const fetchDesc = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetchDesc?.configurable === true) {
    Object.defineProperty(globalThis, 'fetch', {
      value: undefined,
      configurable: true,
      writable: true,
    });
  }
  try {
    const [ink, react, ui] = await Promise.all([
      import('ink'),
      import('react'),
      import('../ui/App.js'),
    ]);
    return { render: ink.render, React: react.default, App: ui.App };
  } finally {
    if (fetchDesc?.configurable === true) Object.defineProperty(globalThis, 'fetch', fetchDesc);
    if (hide) {
      for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    }
  }
}
