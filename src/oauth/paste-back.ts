// The callback without a server: for a terminal no browser can reach (SSH, a container),
// the user opens the authorization URL anywhere, and pastes back the address the browser
// was sent to, which fails to load there. The pasted parameters go through the same
// checks as a callback the local web client receives (AuthorizationCodeFlow.finish).
import { FlowError, InterruptedError } from "../errors.ts";
import { type AuthorizationCodeFlow, CallbackRejected, type FlowResult } from "./authorization-code.ts";

/**
 * The callback parameters in a pasted line: the whole redirect URL (which must be the
 * redirect URI's address), or only its query, with or without the leading `?`.
 */
export function pastedCallback(text: string, redirectUri: string): URLSearchParams {
  const pasted = text.trim().replace(/^(["'<])(.*)[>"']$/, "$2");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pasted)) {
    const url = URL.parse(pasted);
    const expected = new URL(redirectUri);
    if (!url) throw new CallbackRejected("the pasted text is not a valid URL", "E_PASTE");
    if (url.origin !== expected.origin || url.pathname !== expected.pathname) {
      throw new CallbackRejected(`the pasted URL goes to ${url.origin}${url.pathname}, not to the redirect URI ${expected.origin}${expected.pathname}`, "E_PASTE");
    }
    if (!url.search && url.hash) throw new CallbackRejected("the pasted URL carries its parameters in the fragment (#); this flow expects them in the query (?)", "E_PASTE");
    return url.searchParams;
  }
  const parameters = new URLSearchParams(pasted.replace(/^\?/, ""));
  if (!["code", "state", "error"].some((name) => parameters.has(name))) {
    throw new CallbackRejected("the pasted text is neither the redirect URL nor its query (code=…&state=…)", "E_PASTE");
  }
  return parameters;
}

export interface PasteBackOptions {
  flow: AuthorizationCodeFlow;
  redirectUri: string;
  /** Lines the user types or pipes in. */
  lines: AsyncIterator<string>;
  /** Shows the authorization URL and asks for the paste. */
  ask(authorizationUrl: URL): void;
  /** One line for a refused paste, before asking again. */
  refused(message: string): void;
  /** Ends the wait as Ctrl+C does. */
  stop?: AbortSignal;
}

/**
 * Starts a request and reads lines until one completes it. A paste with the wrong state,
 * without a code, or that is no callback at all is refused in one line and asked for
 * again; an error the server sent back, a failed code exchange, or the end of input ends
 * the run.
 */
export async function pasteBack(options: PasteBackOptions): Promise<FlowResult> {
  const { flow, lines, stop } = options;
  options.ask(await flow.start());
  const interrupted = new Promise<never>((_, reject) => {
    const fail = () => reject(new InterruptedError("interrupted before the flow finished", { signal: stop?.reason }));
    if (stop?.aborted) fail();
    stop?.addEventListener("abort", fail);
  });
  interrupted.catch(() => {}); // raced below; unobserved when input wins
  for (;;) {
    const next = await Promise.race([lines.next(), interrupted]);
    if (next.done) throw new FlowError("the input ended before a callback URL was pasted", "E_NO_PASTE");
    if (next.value.trim() === "") continue;
    try {
      return await flow.finish(pastedCallback(next.value, options.redirectUri));
    } catch (error) {
      // Wrong but harmless: the request is still waiting, so the user may paste again.
      if (!(error instanceof CallbackRejected)) throw error;
      options.refused(error.message);
    }
  }
}
