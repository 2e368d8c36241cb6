/**
 * The config line under the header, drawn only when there is something to say: a broken
 * lanes.yaml edit (the board runs on the last good config until it is fixed) in the
 * "bad" tone, else a discovered board's banner ("discovered N worktrees … `laneboard
 * init`"). Text is sanitized (it quotes file content and paths).
 */
import { Box, Text } from 'ink';
import type { BoardState } from '../state/types.js';
import { sanitizeText } from '../state/sanitize.js';
import { useBoardSelector } from './board-context.js';
import { useTheme } from './theme.js';

/** The text and tone of the config line, or null when there is none. */
function selectConfigLine(s: BoardState): { readonly text: string; readonly bad: boolean } | null {
  const { banner, error } = s.configStatus;
  if (error !== null)
    return { text: `lanes.yaml not applied (last good config kept): ${error}`, bad: true };
  if (banner !== null) return { text: banner, bad: false };
  return null;
}

/** Lines the config line takes for the current state (0 or 1). */
export function useConfigLineCount(): number {
  return useBoardSelector((s) => (selectConfigLine(s) === null ? 0 : 1));
}

/** Render the config line (nothing when there is none). */
export function ConfigLine({ width }: { readonly width: number }) {
  const theme = useTheme();
  const text = useBoardSelector((s) => selectConfigLine(s)?.text ?? null);
  const bad = useBoardSelector((s) => selectConfigLine(s)?.bad ?? false);
  if (text === null) return null;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end" color={theme.color(bad ? 'bad' : 'info')}>
        {sanitizeText(text, Math.max(1, width))}
      </Text>
    </Box>
  );
}
