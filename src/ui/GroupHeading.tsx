/**
 * A repo group heading on the board (repo path shortened); on the fleet board a remote
 * group names its host first, and an offline host's group is greyed and says so.
 * Presentational.
 */
import { Text } from 'ink';
import { memo } from 'react';
import { shortenPath } from '../state/format.js';
import { sanitizeText } from '../state/sanitize.js';
import { useTheme } from './theme.js';

/** Props of {@link GroupHeading}. */
export interface GroupHeadingProps {
  /** Absolute repo path from the config. */
  readonly repo: string;
  /** Fleet board: the host of a remote group (untrusted: sanitized here). */
  readonly host?: string;
  /** Fleet board: false when that host is offline. */
  readonly hostOnline?: boolean;
  /** Home directory to abbreviate as "~", or null. */
  readonly home: string | null;
  /** Width in cells. */
  readonly width: number;
}

/** `▸ ~/src/app` (fleet: `▸ beta · ~/src/app`, `▸ beta (offline) · …`) in the accent tone. */
export const GroupHeading = memo(function GroupHeading({
  repo,
  host,
  hostOnline,
  home,
  width,
}: GroupHeadingProps) {
  const theme = useTheme();
  const offline = host !== undefined && hostOnline === false;
  const prefix =
    host === undefined ? '' : `${sanitizeText(host, 64)}${offline ? ' (offline)' : ''} · `;
  const path = shortenPath(sanitizeText(repo), home, Math.max(4, width - 2 - prefix.length));
  return (
    <Text wrap="truncate-end" color={theme.color(offline ? 'muted' : 'accent')} bold>
      {`▸ ${prefix}${path}`}
    </Text>
  );
});
