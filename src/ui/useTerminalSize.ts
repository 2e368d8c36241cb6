/**
 * The terminal size in cells, following stdout `resize` events (Ink 6 has no
 * `useWindowSize`). Falls back to 80×24 when stdout is not a TTY (columns/rows unset or 0).
 */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Terminal size in cells. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** Default size when stdout reports none. */
const DEFAULT_SIZE: TerminalSize = { columns: 80, rows: 24 };

/** Current terminal size; re-renders the caller on resize. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => readSize(stdout));
  useEffect(() => {
    const onResize = (): void => {
      const next = readSize(stdout);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
  const columns = stdout.columns > 0 ? stdout.columns : DEFAULT_SIZE.columns;
  const rows = stdout.rows > 0 ? stdout.rows : DEFAULT_SIZE.rows;
  return { columns, rows };
}
