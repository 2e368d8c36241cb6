/**
 * The two footer lines: (1) the steer prompt, the quit confirmation, or the transient
 * status line (a steer status follows the message's live delivery state from the store),
 * else the latest board notice; (2) key hints from the keymap that fit the width.
 */
import { Box, Text } from 'ink';
import { selectLaneView } from '../state/selectors.js';
import { sanitizeText } from '../state/sanitize.js';
import { useBoardSelector } from './board-context.js';
import { fitHints, hintsFor } from './hints.js';
import type { Hint } from './hints.js';
import type { KeyContext } from './keymap.js';
import { useTheme } from './theme.js';
import type { ApprovalPrompt, StatusLine, UiState } from './ui-state.js';

/** Hints of the remove confirmation (its keys are the quit confirmation's y / n). */
const REMOVE_HINTS: readonly Hint[] = [
  { keys: 'y', label: 'remove' },
  { keys: 'n', label: 'keep' },
];

/** Lines the footer takes. */
export const FOOTER_LINES = 2;

/** Props of {@link Footer}. */
export interface FooterProps {
  readonly context: KeyContext;
  readonly prompt: UiState['prompt'];
  /** The permission request open with `a` (context 'approve'). */
  readonly approval?: ApprovalPrompt | null;
  /** The remove confirmation's question, when the confirmation is about removing a lane. */
  readonly question?: string | null;
  /** The filter (`/`): shown while typed. */
  readonly filter?: { readonly text: string; readonly editing: boolean };
  readonly status: StatusLine | null;
  /** Workers running (shown in the quit confirmation). */
  readonly running: number;
  readonly width: number;
}

function StatusText({ status }: { readonly status: StatusLine | null }) {
  const theme = useTheme();
  const steer = status?.steer;
  const live = useBoardSelector((s) => {
    if (steer === undefined || s.lanes[steer.laneId] === undefined) return null;
    const m = selectLaneView(s, steer.laneId).steering.find((x) => x.id === steer.messageId);
    return m?.delivery ?? null;
  });
  const notice = useBoardSelector((s) => s.notices[s.notices.length - 1]?.message ?? null);
  if (status === null) {
    return (
      <Text wrap="truncate-end" color={theme.color('warn')}>
        {notice === null ? ' ' : sanitizeText(notice)}
      </Text>
    );
  }
  const delivery = steer === undefined ? '' : ` (${(live ?? steer.initial).replace('_', ' ')})`;
  const tone = live === 'not_delivered' || live === 'failed' ? 'bad' : status.tone;
  return (
    <Text wrap="truncate-end" color={theme.color(tone)}>
      {`${status.text}${delivery}`}
    </Text>
  );
}

/** Render the footer. */
export function Footer(props: FooterProps) {
  const { context, prompt, filter, status, running, width, question, approval } = props;
  const theme = useTheme();
  let first;
  if (context === 'filter' && filter !== undefined) {
    first = (
      <Text wrap="truncate-start">
        <Text color={theme.color('accent')} bold>
          {'filter / '}
        </Text>
        <Text>{`${filter.text}▏`}</Text>
      </Text>
    );
  } else if (context === 'prompt' && prompt !== null) {
    first = (
      <Text wrap="truncate-start">
        <Text color={theme.color('accent')} bold>
          {prompt.purpose === 'add'
            ? 'new lane id › '
            : prompt.purpose === 'deny'
              ? `deny ${prompt.laneId}: message for the agent (optional) › `
              : `steer ${prompt.laneId} › `}
        </Text>
        <Text>{`${prompt.text}▏`}</Text>
      </Text>
    );
  } else if (context === 'approve' && approval) {
    first = (
      <Text wrap="truncate-end" color={theme.color('warn')} bold>
        {`${approval.laneId}: ${sanitizeText(approval.detail, 400)} — allow once? (y/n, Esc later)`}
      </Text>
    );
  } else if (context === 'confirm' && question) {
    first = (
      <Text wrap="truncate-end" color={theme.color('warn')} bold>
        {sanitizeText(question, 500)}
      </Text>
    );
  } else if (context === 'confirm') {
    first = (
      <Text wrap="truncate-end" color={theme.color('warn')} bold>
        {`Quit and stop the ${running} running worker${running === 1 ? '' : 's'}? (y/n)`}
      </Text>
    );
  } else {
    first = <StatusText status={status} />;
  }
  return (
    <Box flexDirection="column" width={width} height={FOOTER_LINES}>
      <Box width={width} height={1}>
        {first}
      </Box>
      <Box width={width} height={1}>
        <Text wrap="truncate-end" color={theme.color('muted')}>
          {question ? fitHints(REMOVE_HINTS, width) : fitHints(hintsFor(context), width) || ' '}
        </Text>
      </Box>
    </Box>
  );
}
