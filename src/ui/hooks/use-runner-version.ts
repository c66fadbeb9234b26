// A throttled, batched subscription to the runner: the runner calls listeners synchronously on
// every event (thousands per second in a burst); this coalesces them into at most one React update
// per interval, so decisions never wait on rendering and runner-driven frames stay ≤ ~30/s.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Runner } from '../../runner/runner.js';

export const RUNNER_FRAME_MS = 33;
/**
 * Under a flood (more than BUSY_CHANGES changes between two frames, i.e. thousands of events per
 * second) nobody can read 30 frames/s of scrolling rows; 10/s leaves the CPU to the decisions and
 * keeps a keypress from queueing behind a stream of runner frames.
 */
export const BUSY_FRAME_MS = 100;
export const BUSY_CHANGES = 100;

export function useRunnerVersion(runner: Runner, intervalMs = RUNNER_FRAME_MS): { version: number; refresh: () => void } {
  const [version, setVersion] = useState(runner.version);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const last = useRef({ at: 0, version: runner.version, interval: intervalMs });

  useEffect(() => {
    const flush = () => {
      timer.current = undefined;
      const changes = runner.version - last.current.version;
      last.current = { at: performance.now(), version: runner.version, interval: changes > BUSY_CHANGES ? Math.max(intervalMs, BUSY_FRAME_MS) : intervalMs };
      setVersion(runner.version);
    };
    const unsubscribe = runner.subscribe(() => {
      if (timer.current) return;
      // A timer even when the interval has passed: changes made in the same tick land in one frame.
      timer.current = setTimeout(flush, Math.max(0, last.current.at + last.current.interval - performance.now()));
    });
    // Changes made between the first render and this subscription would otherwise wait for the next one.
    if (runner.version !== version) flush();
    return () => {
      unsubscribe();
      if (timer.current) clearTimeout(timer.current);
      timer.current = undefined;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runner, intervalMs]);

  // After an intent (pause, step, mode) the user expects the frame now, not at the next tick.
  const refresh = useCallback(() => setVersion(runner.version), [runner]);
  return { version, refresh };
}
