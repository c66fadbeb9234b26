// Retry pacing for watches: exponential with jitter, capped, reset after a healthy stretch —
// client-go's reflector backoff in spirit, so a flapping API server is not hammered.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** ±fraction of randomness, so many clients do not retry in lockstep. */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(o: BackoffOptions = {}) {
    this.initialMs = o.initialMs ?? 500;
    this.maxMs = o.maxMs ?? 30_000;
    this.jitter = o.jitter ?? 0.2;
    this.random = o.random ?? Math.random;
  }

  /** The delay before the next attempt; counts the attempt. */
  next(): number {
    this.attempt++;
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt - 1, 30));
    return Math.max(0, Math.round(base * (1 + this.jitter * (2 * this.random() - 1))));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Resolves after ms, or early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
