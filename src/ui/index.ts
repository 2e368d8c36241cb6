/** Public entry of the Ink board: the root component and the theme helpers the CLI needs. */
export { App } from './App.js';
export type { AppProps, LiveTitle } from './App.js';
export { colorTheme, monoTheme, themeFromEnv } from './theme.js';
export type { Theme } from './theme.js';
