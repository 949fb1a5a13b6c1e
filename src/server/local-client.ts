// The life of the local web client: listen on loopback, find the server's endpoints, say
// where, open the browser, and end after one flow (or on Ctrl+C with --no-shutdown) once the last page is delivered.
import { ADDRESS_IN_USE, errorMessage, FlowError, InterruptedError, type NetworkError } from "../errors.ts";
import { isLoopbackName } from "../http/endpoint.ts";
import type { LoginConsentApi } from "../hydra/login-consent.ts";
import type { AuthorizationCodeFlow, FlowResult } from "../oauth/authorization-code.ts";
import type { Runtime, Server } from "../runtime/index.ts";
import { createApp, type Outcome } from "./app.ts";
import type { Certificate } from "./certificate.ts";

export interface LocalClientOptions {
  runtime: Runtime;
  port: number;
  /** Serve HTTPS with this certificate (./certificate.ts), or HTTP without. */
  tls?: Certificate;
  /** `--redirect`: the redirect URI to send instead of our own callback URL. */
  redirect?: URL;
  open: boolean;
  keepRunning: boolean;
  skip: boolean;
  /** Builds the flow for the redirect URI, once the port is known; may fail (discovery), which ends the run before anything is announced. */
  createFlow(redirectUri: string): Promise<AuthorizationCodeFlow>;
  loginConsent?: LoginConsentApi;
  /** Progress and notices (stderr unless --quiet). */
  notify(message: string): void;
  /**
   * Where to go, which the user cannot do without: shown even where notices are not, since
   * a run that waits without a word looks hung.
   */
  prompt(message: string): void;
  /** Prints the tokens of a successful flow. */
  onTokens(result: FlowResult): Promise<void>;
  /** Ends the run as Ctrl+C does, for callers that cannot send a signal (tests). */
  stop?: AbortSignal;
}

const HOST = "127.0.0.1";
/** How long a closing server may take to hand over the last page before we stop waiting. */
const CLOSE_GRACE_MS = 2000;

/** Resolves after a successful flow (or Ctrl+C with --no-shutdown); rejects after a failed one. */
export async function runLocalClient(options: LocalClientOptions): Promise<void> {
  const { runtime, notify } = options;
  let tls = options.tls;

  let finish!: (outcome: Outcome | "interrupted") => void;
  const finished = new Promise<Outcome | "interrupted">((resolve) => (finish = resolve));

  let redirectUri = "";
  let flow: Promise<AuthorizationCodeFlow> | undefined;
  // Retried on the next visit after a failure, which --no-shutdown lives through.
  const currentFlow = () =>
    (flow ??= options.createFlow(redirectUri).catch((error: unknown) => {
      flow = undefined;
      throw error;
    }));

  // Filled in once the port is known; the app reads it per request.
  const hosts: string[] = [];
  let printed = Promise.resolve();
  let printFailure: Error | undefined;
  // With keepRunning, what the flows came to: a run whose every flow failed does not end well.
  let succeeded = 0;
  let failed = 0;
  const handler = createApp({
    flow: currentFlow,
    callbackPath: options.redirect?.pathname ?? "/callback",
    hosts,
    loginConsent: options.loginConsent,
    skip: options.skip,
    keepRunning: options.keepRunning,
    log: notify,
    onOutcome(outcome) {
      if (outcome.ok) succeeded++;
      else failed++;
      if (outcome.ok) {
        // In order, and without losing later tokens when printing one set fails.
        printed = printed
          .then(() => options.onTokens(outcome.result))
          .catch((error: Error) => {
            if (options.keepRunning) notify(`Error: ${errorMessage(error)}`);
            else printFailure = error;
          });
      } else if (options.keepRunning) {
        notify(`Error: ${errorMessage(outcome.error)}`);
      }
      if (!options.keepRunning) finish(outcome);
    },
  });

  const listen = () => runtime.serve({ hostname: HOST, port: options.port, tls: tls && { cert: tls.cert, key: tls.key }, handler });
  let server: Server;
  try {
    server = await listen();
  } catch (error) {
    // A kept certificate is not parsed before serving (./certificate.ts): a damaged one shows here.
    if (!tls?.renew || (error as NetworkError).code === ADDRESS_IN_USE) throw error;
    notify(`The TLS library refused ${tls.source} (${(error as Error).message}); making a new one`);
    tls = await tls.renew();
    server = await listen();
  }
  const origin = `${tls ? "https" : "http"}://${HOST}:${server.port}`;
  redirectUri = options.redirect?.href ?? `${origin}/callback`;
  hosts.push(`${HOST}:${server.port}`, `localhost:${server.port}`);
  if (options.redirect) hosts.push(options.redirect.host);

  // The flow's first step (discovery) decides whether there is anything to offer: pages
  // and a browser sent to a server that cannot start the flow would only mislead.
  try {
    await currentFlow();
  } catch (error) {
    await withTimeout(server.close());
    throw error;
  }

  const home = `${origin}/`;
  if (tls) notify(`Serving HTTPS with ${tls.source}, SHA-256 fingerprint ${tls.fingerprint}`);
  // A redirect URI on this machine that is not where this listens reaches it only through a
  // forward (ssh -L, a container's port): said, since without one the flow cannot finish.
  const redirect = options.redirect;
  // ([::1] is a name for this machine where this never listens.)
  if (redirect && isLoopbackName(redirect.hostname) && (redirect.hostname === "[::1]" || Number(redirect.port || (redirect.protocol === "https:" ? 443 : 80)) !== server.port)) {
    notify(`note: the redirect URI ${redirect.origin} is not where this listens (${origin}): the browser's callback reaches it only if something forwards it here`);
  } else if (redirect?.hostname === "localhost") {
    // RFC 8252 §8.3: a browser may resolve localhost to ::1 first, where this does not listen.
    notify(
      `warning: the redirect URI names localhost, which a browser may take to [::1] (IPv6), where this does not listen: a program listening there would be sent the code; ${HOST} is where this listens (RFC 8252 §8.3 advises a redirect URI with it)`,
    );
  }
  // One write: separate ones may reach the terminal out of order.
  options.prompt(
    [
      `Home page:         ${home}`,
      `Callback listener: ${origin}${options.redirect?.pathname ?? "/callback"}`,
      // Ctrl+C on macOS too, where Cmd+C copies (Hydra's CLI says cmd + c there).
      "Stop with Ctrl+C.",
      // --no-open: nothing is tried, so nothing "if".
      options.open ? `If no browser opens, go to ${home}` : `Open ${home} in a browser`,
    ].join("\n"),
  );

  // The signal that ended the run, for the exit code; a `stop` carries it as its reason.
  let interruptedBy: unknown;
  const interrupt = (signal: unknown) => {
    interruptedBy ??= signal;
    finish("interrupted");
  };
  runtime.onInterrupt(interrupt);
  options.stop?.addEventListener("abort", () => interrupt(options.stop?.reason));
  // Aborted while the flow was being set up: a listener added now would never hear of it.
  if (options.stop?.aborted) interrupt(options.stop.reason);
  if (options.open) {
    void runtime.openBrowser(home).then((opened) => opened || options.prompt(`Could not open a browser; go to ${home}`));
  }
  // A renewed certificate was written private; the one first read may have been loosened.
  const guarded = tls?.guard?.();

  const outcome = await finished;
  await guarded;
  if (outcome !== "interrupted") await withTimeout(outcome.delivered);
  await withTimeout(server.close());
  await printed;
  if (printFailure) throw printFailure;
  if (outcome === "interrupted") {
    if (options.keepRunning && failed > 0 && succeeded === 0) throw new FlowError(`no flow of this run gave tokens: ${failed === 1 ? "the one tried" : `all ${failed} tried`} failed, as said above`);
    if (options.keepRunning) return;
    throw new InterruptedError("interrupted before the flow finished", { signal: interruptedBy });
  }
  if (!outcome.ok) throw outcome.error;
}

async function withTimeout(promise: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
  clearTimeout(timer);
}
