/**
 * The board's only `useInput`: every key press goes through {@link matchCommand} for the
 * current key context; in the steering prompt, keys that are no command are text.
 */
import { useInput } from 'ink';
import type { Key } from 'ink';
import { useCallback, useEffect, useRef } from 'react';
import { matchCommand } from './keymap.js';
import type { Command, KeyContext } from './keymap.js';

/** Handlers of the router. `context` is read at key time, not at render time. */
export interface InputHandlers {
  /** The current key context. */
  readonly context: () => KeyContext;
  readonly onCommand: (command: Command) => void;
  /** Typed (or pasted) text while the prompt is open; unsanitized. */
  readonly onText: (text: string) => void;
}

/** Route keys to commands. Call once, in the root screen. */
export function useInputRouter(handlers: InputHandlers): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  }, [handlers]);
  const onInput = useCallback((input: string, rawKey: Key) => {
    const h = ref.current;
    // A line feed is Enter too: Ink only flags CR as `return`, but a key pressed before
    // the terminal is in raw mode (the first moments of the board) arrives as LF (ICRNL).
    const key = input === '\n' && !rawKey.return ? { ...rawKey, return: true } : rawKey;
    const context = h.context();
    const command = matchCommand(context, input, key);
    if (command !== null) h.onCommand(command);
    else if (
      (context === 'prompt' || context === 'filter') &&
      input !== '' &&
      !key.ctrl &&
      !key.escape
    )
      h.onText(input);
    else if (input.length > 1 && !key.ctrl && !key.meta && !key.escape) {
      // Keys typed faster than a read (or sent by tmux send-keys) arrive as one chunk:
      // route each character on its own, re-reading the context after each command.
      const plain = { ...key, shift: false };
      for (const ch of input) {
        const c = matchCommand(h.context(), ch, plain);
        if (c !== null) h.onCommand(c);
        else if (h.context() === 'prompt' || h.context() === 'filter') h.onText(ch);
      }
    }
  }, []);
  useInput(onInput);
}
