// User errors carry a "try this" hint and exit 2; anything else is a bug. One handler prints
// either (modelled on Shopify cli-kit's AbortError vs BugError).

export class UserError extends Error {
  constructor(message: string, readonly hint?: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

export interface ErrorSink {
  write(text: string): void;
}

/** Prints an error as one clear line (plus a hint); stack traces only with --debug. Returns the exit code. */
export function reportError(err: unknown, out: ErrorSink, debug: boolean, mask: (s: string) => string = (s) => s): number {
  if (err instanceof UserError) {
    out.write(`error: ${mask(err.message)}\n`);
    if (err.hint) out.write(`  try: ${mask(err.hint)}\n`);
    if (debug && err.stack) out.write(mask(err.stack) + '\n');
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  out.write(`internal error: ${mask(e.message)}\n`);
  out.write('  this is a bug in flux-notify-tui; run again with --debug and report the output\n');
  if (debug && e.stack) out.write(mask(e.stack) + '\n');
  return 70;
}
