/**
 * Colour theme of the board. Components never name colours: they name a {@link Tone}
 * and the theme maps it. `NO_COLOR` (https://no-color.org: set and non-empty) selects
 * the monochrome theme, which maps every tone to no colour at all.
 */
import { createContext, useContext } from 'react';

/** What a piece of text means, independent of how it is coloured. */
export type Tone = 'plain' | 'ok' | 'warn' | 'bad' | 'info' | 'muted' | 'accent';

/** Maps tones to Ink colour names (undefined = terminal default). */
export interface Theme {
  /** 'color' or 'mono'. */
  readonly name: 'color' | 'mono';
  /** Ink `color` prop for a tone, or undefined for none. */
  color(tone: Tone): string | undefined;
}

const COLORS: Readonly<Record<Tone, string | undefined>> = {
  plain: undefined,
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  info: 'cyan',
  muted: 'gray',
  accent: 'magenta',
};

/** The default, coloured theme. */
export const colorTheme: Theme = { name: 'color', color: (t) => COLORS[t] };

/** No colours at all (NO_COLOR); the words in every cell carry the meaning. */
export const monoTheme: Theme = { name: 'mono', color: () => undefined };

/**
 * Pick the theme from an environment.
 * @param env Environment variables (e.g. `process.env`).
 * @returns {@link monoTheme} when `NO_COLOR` is set to a non-empty value, else {@link colorTheme}.
 */
export function themeFromEnv(env: Readonly<Record<string, string | undefined>>): Theme {
  const v = env.NO_COLOR;
  return v !== undefined && v !== '' ? monoTheme : colorTheme;
}

/** React context carrying the theme (App provides it). */
export const ThemeContext = createContext<Theme>(colorTheme);

/** The current theme. */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
