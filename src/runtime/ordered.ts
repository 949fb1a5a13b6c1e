/**
 * Makes writes to one stream land in call order even when callers do not await them
 * (progress notices), and lets `await write("")` wait until everything before it is out.
 * With `failed`, a write that fails rejects with what `failed` makes of the error, and so
 * does every write after it. Without, failures are dropped: for stderr, where there is
 * nowhere left to say that writing failed.
 */
export function ordered(write: (text: string) => Promise<void>, failed?: (error: unknown) => Error): (text: string) => Promise<void> {
  let last = Promise.resolve();
  let failure: Error | undefined;
  return (text) => {
    const next = last.then(async () => {
      if (failure) throw failure;
      try {
        if (text) await write(text);
      } catch (error) {
        failure = failed?.(error);
        if (failure) throw failure;
      }
    });
    last = next.catch(() => undefined);
    return failed ? next : last;
  };
}
