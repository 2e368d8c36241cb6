/**
 * The board's own UI state (selection, open panes, prompt text, status line) as a pure
 * reducer. It holds nothing about lanes except the selected id; everything shown about a
 * lane comes from the store's selectors.
 */
import type { SteerDelivery } from '../state/view-types.js';
import type { KeyContext } from './keymap.js';
import type { Tone } from './theme.js';
import { nextSort, type SortOrder } from './view-order.js';

/** The transient status line under the board. */
export interface StatusLine {
  readonly text: string;
  readonly tone: Tone;
  /** When the status is about a steering message: follow its live delivery state. */
  readonly steer?: {
    readonly laneId: string;
    readonly messageId: string;
    /** Delivery state known when the message was handed over (until the store knows it). */
    readonly initial: SteerDelivery;
  };
}

/** What is open over the board or the detail pane. */
export type Overlay = 'none' | 'help' | 'prompt' | 'confirm' | 'approve';

/** The permission request opened with `a` (overlay 'approve'). */
export interface ApprovalPrompt {
  readonly laneId: string;
  /** The request the hook waits on (the decision names it). */
  readonly requestId: string;
  /** The request as shown, e.g. `permission requested: Bash: rm -rf build` (untrusted). */
  readonly detail: string;
}

/** The UI state. Scroll offsets are in lines. */
export interface UiState {
  readonly selectedId: string | null;
  readonly detail: boolean;
  readonly overlay: Overlay;
  /**
   * The prompt (overlay 'prompt'): text typed so far, and what it is for — a steering
   * message to `laneId` (default), or the id of a new lane (`purpose: 'add'`).
   */
  readonly prompt: {
    readonly laneId: string;
    readonly text: string;
    readonly purpose?: 'steer' | 'add' | 'deny';
    /** For `purpose: 'deny'`: the request being denied. */
    readonly requestId?: string;
  } | null;
  /** The permission request open in overlay 'approve'. */
  readonly approval?: ApprovalPrompt | null;
  /** The lane a remove confirmation (overlay 'confirm') is about, and its question. */
  readonly removal?: { readonly laneId: string; readonly question: string } | null;
  readonly detailScroll: number;
  readonly helpScroll: number;
  readonly status: StatusLine | null;
  /** Board order (`o`). */
  readonly sort: SortOrder;
  /** Filter text (`/`) and whether it is being typed. */
  readonly filter: { readonly text: string; readonly editing: boolean };
  /** The live peek below the board (`p`) is open. */
  readonly peek: boolean;
}

/** Every UI action. */
export type UiAction =
  | { readonly type: 'select'; readonly id: string | null }
  /** Move the selection within `ids` (display order) by lines or to an end. */
  | {
      readonly type: 'move';
      readonly ids: readonly string[];
      readonly move: number | 'top' | 'bottom';
    }
  | { readonly type: 'detail'; readonly open: boolean }
  /** Scroll a pane by `by` lines (or to an end), clamped to [0, max]. */
  | {
      readonly type: 'scroll';
      readonly pane: 'detail' | 'help';
      readonly by: number | 'top' | 'bottom';
      readonly max: number;
    }
  | { readonly type: 'help'; readonly open: boolean }
  | {
      readonly type: 'prompt/open';
      readonly laneId: string;
      readonly purpose?: 'steer' | 'add' | 'deny';
      readonly requestId?: string;
    }
  /** Open (with `approval`) or close (null) the permission request overlay. */
  | { readonly type: 'approval'; readonly approval: ApprovalPrompt | null }
  /** Append typed text (already sanitized, one line) to the prompt. */
  | { readonly type: 'prompt/append'; readonly text: string }
  | { readonly type: 'prompt/backspace' }
  | { readonly type: 'prompt/close' }
  | {
      readonly type: 'confirm';
      readonly open: boolean;
      /** Set for a remove confirmation; absent for the quit confirmation. */
      readonly removal?: { readonly laneId: string; readonly question: string };
    }
  | { readonly type: 'status'; readonly status: StatusLine | null }
  | { readonly type: 'sort' }
  | { readonly type: 'filter/open' }
  /** Append typed text (sanitized, one line) to the filter. */
  | { readonly type: 'filter/append'; readonly text: string }
  | { readonly type: 'filter/backspace' }
  | { readonly type: 'filter/keep' }
  | { readonly type: 'filter/clear' }
  | { readonly type: 'peek'; readonly open: boolean };

/** Longest filter text (UTF-16 code units). */
export const FILTER_MAX = 100;

/** Longest steering message the prompt accepts (UTF-16 code units). */
export const PROMPT_MAX = 2_000;

/** The UI state at start. */
export const initialUiState: UiState = {
  selectedId: null,
  detail: false,
  overlay: 'none',
  prompt: null,
  detailScroll: 0,
  helpScroll: 0,
  status: null,
  sort: 'config',
  filter: { text: '', editing: false },
  peek: false,
};

/** Pure UI reducer; returns the same object when nothing changed. */
export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'select':
      return a.id === s.selectedId ? s : { ...s, selectedId: a.id, detailScroll: 0 };
    case 'detail':
      return { ...s, detail: a.open, detailScroll: 0 };
    case 'move': {
      const id = moveSelection(a.ids, s.selectedId, a.move);
      return id === s.selectedId ? s : { ...s, selectedId: id, detailScroll: 0 };
    }
    case 'scroll': {
      const cur = a.pane === 'detail' ? s.detailScroll : s.helpScroll;
      const max = Math.max(0, a.max);
      const to =
        a.by === 'top' ? 0 : a.by === 'bottom' ? max : Math.min(max, Math.max(0, cur + a.by));
      if (to === cur) return s;
      return a.pane === 'detail' ? { ...s, detailScroll: to } : { ...s, helpScroll: to };
    }
    case 'help':
      return { ...s, overlay: a.open ? 'help' : 'none', helpScroll: 0 };
    case 'prompt/open':
      return {
        ...s,
        overlay: 'prompt',
        approval: null,
        prompt: {
          laneId: a.laneId,
          text: '',
          ...(a.purpose ? { purpose: a.purpose } : {}),
          ...(a.requestId !== undefined ? { requestId: a.requestId } : {}),
        },
      };
    case 'approval':
      return { ...s, overlay: a.approval ? 'approve' : 'none', approval: a.approval };
    case 'prompt/append':
      return s.prompt === null
        ? s
        : { ...s, prompt: { ...s.prompt, text: (s.prompt.text + a.text).slice(0, PROMPT_MAX) } };
    case 'prompt/backspace':
      return s.prompt === null
        ? s
        : { ...s, prompt: { ...s.prompt, text: Array.from(s.prompt.text).slice(0, -1).join('') } };
    case 'prompt/close':
      return { ...s, overlay: 'none', prompt: null };
    case 'confirm':
      return {
        ...s,
        overlay: a.open ? 'confirm' : 'none',
        prompt: null,
        removal: a.open ? (a.removal ?? null) : null,
      };
    case 'status':
      return { ...s, status: a.status };
    case 'sort':
      return { ...s, sort: nextSort(s.sort) };
    case 'filter/open':
      return { ...s, filter: { text: s.filter.text, editing: true } };
    case 'filter/append':
      return { ...s, filter: { ...s.filter, text: (s.filter.text + a.text).slice(0, FILTER_MAX) } };
    case 'filter/backspace':
      return {
        ...s,
        filter: { ...s.filter, text: Array.from(s.filter.text).slice(0, -1).join('') },
      };
    case 'filter/keep':
      return { ...s, filter: { text: s.filter.text.trim(), editing: false } };
    case 'filter/clear':
      return { ...s, filter: { text: '', editing: false } };
    case 'peek':
      return { ...s, peek: a.open };
  }
}

/** The key context of a UI state: the topmost open thing. */
export function keyContextOf(s: UiState): KeyContext {
  if (s.overlay !== 'none') return s.overlay;
  if (s.filter.editing) return 'filter';
  return s.detail ? 'detail' : 'board';
}

/**
 * The lane id after moving the selection.
 * @param ids Lane ids in display order.
 * @param current Currently selected id (null or unknown ⇒ treated as index 0).
 * @param move Relative step (lines; clamped at both ends) or 'top' / 'bottom'.
 * @returns The new id, or null when there are no lanes.
 */
export function moveSelection(
  ids: readonly string[],
  current: string | null,
  move: number | 'top' | 'bottom',
): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  let next: number;
  if (move === 'top') next = 0;
  else if (move === 'bottom') next = ids.length - 1;
  else next = Math.min(ids.length - 1, Math.max(0, (at < 0 ? 0 : at) + move));
  return ids[next] ?? null;
}
