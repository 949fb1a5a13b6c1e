/**
 * Runs `stty` with these arguments on the terminal that is stdin. Resolves to what it
 * printed, or undefined when it failed or there is no stty (Windows).
 */
export type Stty = (args: string[]) => Promise<string | undefined>;

/**
 * Turns the terminal's echo off (`stty -echo`) and resolves to what puts every setting
 * back as it was (`stty -g`), or undefined when that cannot be done. Only echo changes: the
 * terminal still edits the line (Backspace, Ctrl+U) and turns Ctrl+C into an interrupt,
 * which raw mode would leave to hydractl.
 */
export async function hideTyping(stty: Stty): Promise<(() => Promise<void>) | undefined> {
  const saved = (await stty(["-g"]))?.trim();
  if (!saved || (await stty(["-echo"])) === undefined) return undefined;
  return async () => {
    // Echo at least, should the saved settings not go back.
    if ((await stty([saved])) === undefined) await stty(["echo"]);
  };
}
