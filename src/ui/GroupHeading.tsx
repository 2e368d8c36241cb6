/** A repo group heading on the board (repo path shortened). Presentational. */
import { Text } from 'ink';
import { memo } from 'react';
import { shortenPath } from '../state/format.js';
import { sanitizeText } from '../state/sanitize.js';
import { useTheme } from './theme.js';

/** Props of {@link GroupHeading}. */
export interface GroupHeadingProps {
  /** Absolute repo path from the config. */
  readonly repo: string;
  /** Home directory to abbreviate as "~", or null. */
  readonly home: string | null;
  /** Width in cells. */
  readonly width: number;
}

/** `▸ ~/src/app` in the accent tone. */
export const GroupHeading = memo(function GroupHeading({ repo, home, width }: GroupHeadingProps) {
  const theme = useTheme();
  const path = shortenPath(sanitizeText(repo), home, Math.max(4, width - 2));
  return (
    <Text wrap="truncate-end" color={theme.color('accent')} bold>
      {`▸ ${path}`}
    </Text>
  );
});
