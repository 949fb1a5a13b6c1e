/**
 * Makes writes to one stream land in call order even when callers do not await them
 * (progress notices), and lets `await write("")` wait until everything before it is out.
 */
export function ordered(write: (text: string) => Promise<void>): (text: string) => Promise<void> {
  let last = Promise.resolve();
  return (text) => {
    last = last.then(() => (text ? write(text) : undefined)).catch(() => undefined);
    return last;
  };
}
