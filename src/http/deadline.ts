// Time limits as AbortSignals whose reason says how long was allowed, so a timeout can be
// reported as "within 10s" by whoever catches it, however deep it was raised.

/** The abort reason of a `timeLimit` signal. */
export class TimeLimitReached extends Error {
  override name = "TimeLimitReached";
  readonly ms: number;

  constructor(ms: number) {
    super(`timed out after ${formatMs(ms)}`);
    this.ms = ms;
  }
}

/**
 * Aborts after `ms` with a TimeLimitReached that names `limit`: the whole limit, when this
 * signal covers only what is left of it. Built on AbortSignal.timeout, whose timer does
 * not keep the process alive, so a finished command never waits for it.
 */
export function timeLimit(ms: number, limit = ms): AbortSignal {
  const controller = new AbortController();
  // Not Math.max: every request runs this (see FormPayload in api.ts).
  AbortSignal.timeout(ms > 0 ? ms : 0).addEventListener("abort", () => controller.abort(new TimeLimitReached(limit)), { once: true });
  return controller.signal;
}

/**
 * Waits `ms` (at most 2^31 - 1, what a timer takes), or until `signal` aborts, whichever
 * comes first; at once if it has aborted already.
 */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * Settles as `work` does, or with the signal's reason when it fires first. Not written
 * with Promise.race, which the engine compiles from source at its first use.
 */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", stop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", stop);
        reject(error);
      },
    );
  });
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
