// The terminal size, updated on resize so the layout (side by side, stacked, single) follows it.

import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export function useTerminalSize(fallback = { columns: 100, rows: 30 }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout]);
  return size;
}
