// The local web client's routes: a welcome page, the redirect into the flow, the callback,
// and the login and consent pages that drive Hydra's admin API. It speaks only
// Request/Response; the command decides what a finished flow means for the process.
import { errorMessage, FlowError } from "../errors.ts";
import { readAtMost } from "../bytes.ts";
import {
  type Flow,
  type LoginConsentApi,
  processConsentRequest,
  processLoginRequest,
  processRedirect,
  processRevocation,
} from "../hydra/login-consent.ts";
import { AUTHORIZATION_ERROR, type AuthorizationCodeFlow, CallbackRejected, type FlowResult, NO_ID_TOKEN } from "../oauth/authorization-code.ts";
import { ID_TOKEN_REJECTED } from "../oauth/tokens.ts";
import type { Handler } from "../runtime/index.ts";
import { consentPage, errorPage, loginPage, resultPage, welcomePage } from "./pages.ts";

export type Outcome = ({ ok: true; result: FlowResult } | { ok: false; error: Error }) & {
  /** Settles once the page that reports the outcome has been handed to the connection. */
  delivered: Promise<void>;
};

export interface AppOptions {
  /** The flow, once the server's endpoints are known (discovery runs while we listen). */
  flow(): Promise<AuthorizationCodeFlow>;
  /** The path of the redirect URI (`/callback`, or what `--redirect` says). */
  callbackPath: string;
  /** Host headers we answer to; anything else may be a DNS-rebinding page reaching for the tokens. */
  hosts: string[];
  /** Hydra's admin API for the login and consent pages; absent when no endpoint was given. */
  loginConsent?: LoginConsentApi;
  /** `--skip`: accept a login or consent Hydra says may be skipped, without asking. */
  skip: boolean;
  /** `--no-shutdown`: pages link back to the start. */
  keepRunning: boolean;
  onOutcome(outcome: Outcome): void;
  /** Progress lines (stderr unless --quiet). */
  log(message: string): void;
}

/** The largest form we read: login and consent forms are a few hundred bytes. */
const MAX_FORM_BYTES = 64 * 1024;

export function createApp(options: AppOptions): Handler {
  // Guards the login and consent forms: another site cannot post them without it.
  const formToken = crypto.randomUUID();

  async function callback(request: Request): Promise<Response> {
    try {
      const parameters =
        request.method === "POST" ? await readForm(request, "the callback", "an authorization response").catch(notACallback) : new URL(request.url).searchParams;
      const flow = await options.flow();
      return report({ ok: true, result: await flow.finish(parameters) });
    } catch (error) {
      // Any page can send the browser here: the run goes on, for the user's own callback.
      if (error instanceof CallbackRejected) {
        options.log(`Rejected a callback: ${errorMessage(error)}; still waiting`);
        return errorPage("Callback rejected", errorMessage(error), 400);
      }
      return report({ ok: false, error: error as Error });
    }
  }

  function report(outcome: { ok: true; result: FlowResult } | { ok: false; error: Error }): Response {
    const response = outcome.ok
      ? resultPage(outcome.result, options.keepRunning)
      : errorPage(failureTitle(outcome.error), errorMessage(outcome.error), outcome.error instanceof FlowError ? 400 : 502, options.keepRunning);
    // The last page of a run: closing its connection lets the server stop at once rather
    // than wait for the browser to drop an idle keep-alive connection.
    if (!options.keepRunning) response.headers.set("Connection", "close");
    const [tracked, delivered] = trackDelivery(response);
    options.onOutcome({ ...outcome, delivered });
    return tracked;
  }

  async function login(request: Request, api: LoginConsentApi): Promise<Response> {
    if (request.method === "GET") {
      const challenge = new URL(request.url).searchParams.get("login_challenge");
      if (!challenge) return errorPage("Sign in", "missing login_challenge: Hydra sends the browser here with one", 400);
      const found = await processLoginRequest(await api.getRequest("login", challenge));
      if ("redirect_to" in found) return redirect(found.redirect_to);
      if (found.skip && options.skip) {
        options.log(`login: Hydra allows skipping; accepting ${JSON.stringify(found.subject)} (--skip)`);
        return redirect(await processRedirect(await api.accept("login", challenge, { subject: found.subject }), "accepting the login request"));
      }
      return loginPage(found, formToken, options.skip);
    }
    const form = await readCheckedForm(request);
    const challenge = form.get("challenge") ?? "";
    if (form.get("action") === "reject") return await reject(api, "login", challenge);
    const subject = form.get("subject")?.trim();
    if (!subject) return errorPage("Sign in", "a subject (user name) is required", 400);
    const body = { subject, ...remembered(form) };
    return redirect(await processRedirect(await api.accept("login", challenge, body), "accepting the login request"));
  }

  async function consent(request: Request, api: LoginConsentApi): Promise<Response> {
    const challenge = request.method === "GET" ? new URL(request.url).searchParams.get("consent_challenge") : undefined;
    if (request.method === "GET" && !challenge) return errorPage("Consent", "missing consent_challenge: Hydra sends the browser here with one", 400);
    const form = request.method === "POST" ? await readCheckedForm(request) : undefined;
    if (form?.get("action") === "reject") return await reject(api, "consent", form.get("challenge") ?? "");
    // Fetched again on submit: what may be granted, and whose consents to revoke, comes
    // from Hydra, not from fields a page could have altered.
    const found = await processConsentRequest(await api.getRequest("consent", challenge ?? form?.get("challenge") ?? ""));
    if ("redirect_to" in found) return redirect(found.redirect_to);
    const requestedScope = found.requested_scope ?? [];
    const requestedAudience = found.requested_access_token_audience ?? [];
    if (!form) {
      if (!(found.skip && options.skip)) return consentPage(found, formToken);
      options.log("consent: Hydra allows skipping; granting what was requested (--skip)");
      const body = { grant_scope: requestedScope, grant_access_token_audience: requestedAudience };
      return redirect(await processRedirect(await api.accept("consent", found.challenge, body), "accepting the consent request"));
    }
    if (form.get("revoke") === "true" && found.subject && found.client?.client_id) {
      await processRevocation(await api.revokeConsents(found.subject, found.client.client_id));
      options.log(`consent: revoked earlier consents of ${JSON.stringify(found.subject)} for ${found.client.client_id}`);
    }
    const body = {
      grant_scope: form.getAll("grant_scope").filter((scope) => requestedScope.includes(scope)),
      grant_access_token_audience: form.getAll("grant_audience").filter((audience) => requestedAudience.includes(audience)),
      ...remembered(form),
    };
    return redirect(await processRedirect(await api.accept("consent", found.challenge, body), "accepting the consent request"));
  }

  async function readCheckedForm(request: Request): Promise<URLSearchParams> {
    const form = await readForm(request, new URL(request.url).pathname, "the form on its page");
    if (form.get("form_token") !== formToken) throw new FlowError("this form did not come from this hydractl; reload the page and try again", "E_FORM_TOKEN");
    return form;
  }

  async function route(request: Request, path: string): Promise<Response> {
    const method = request.method;
    if (path === options.callbackPath && (method === "GET" || method === "POST")) return await callback(request);
    if (path === "/" && method === "GET") {
      const flow = await options.flow().catch(() => undefined);
      return welcomePage(flow?.clientId, flow?.authorizationEndpoint);
    }
    if (path === "/perform-flow" && method === "GET") {
      // Each start supersedes the request waiting: a page that merely loads this URL would
      // end the user's own flow in a rejected callback.
      if (!userNavigation(request)) {
        const [site, destination] = [request.headers.get("sec-fetch-site"), request.headers.get("sec-fetch-dest")];
        options.log(`Refused to start a flow for a page that is not yours (Sec-Fetch-Site: ${site}, Sec-Fetch-Dest: ${destination}); still waiting`);
        return errorPage("Not started", "a flow starts only from a page you open yourself: another site's page, or an image or frame in one, cannot start one", 403);
      }
      return redirect((await (await options.flow()).start()).href);
    }
    if ((path === "/login" || path === "/consent") && (method === "GET" || method === "POST")) {
      const api = options.loginConsent;
      if (!api) return errorPage("No admin API", "the login and consent pages need Hydra's admin API: set --admin-endpoint or HYDRA_ADMIN_URL", 503);
      return path === "/login" ? await login(request, api) : await consent(request, api);
    }
    return errorPage("Not found", `nothing at ${method} ${path}`, 404, true);
  }

  return async (request) => {
    const host = request.headers.get("host");
    // HTTP/1.1 requires one (RFC 9112 §3.2), and HTTP/1.0 without one leaves Bun a request
    // URL that is only the path, which no URL parser takes.
    if (!host) return errorPage("Bad request", "the request has no Host header", 400);
    if (!options.hosts.includes(host)) {
      return errorPage("Wrong host", "this server only answers to the address it printed at start", 421);
    }
    try {
      return await route(request, new URL(request.url).pathname);
    } catch (error) {
      const message = errorMessage(error);
      // A page that failed, not the run: it goes on, and "Error:" is the run's own last word.
      options.log(`${request.method} ${new URL(request.url).pathname} failed: ${message}; still waiting`);
      return errorPage("Something went wrong", message, error instanceof FlowError ? 400 : 502, options.keepRunning);
    }
  };
}

async function reject(api: LoginConsentApi, flow: Flow, challenge: string): Promise<Response> {
  const body = { error: "access_denied", error_description: "The resource owner denied the request" };
  return redirect(await processRedirect(await api.reject(flow, challenge, body), `rejecting the ${flow} request`));
}

/** The "remember" box of the login and consent forms: Hydra remembers the decision for an hour. */
function remembered(form: URLSearchParams): { remember: boolean; remember_for?: number } {
  return form.get("remember") === "true" ? { remember: true, remember_for: 3600 } : { remember: false };
}

/**
 * Whether the browser says, by Fetch Metadata, that the user opened this page: typed or
 * bookmarked (none), or followed from our own pages (same-origin), as a top-level page. A
 * request without these headers (an older browser, curl) is taken as the user's.
 */
function userNavigation(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  const destination = request.headers.get("sec-fetch-dest");
  return (site === null || site === "none" || site === "same-origin") && (destination === null || destination === "document");
}

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}

/** The form posted to `path`, which should hold no more than `expected` does. */
async function readForm(request: Request, path: string, expected: string): Promise<URLSearchParams> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) throw new FlowError(`expected a form (application/x-www-form-urlencoded), got ${type || "no content type"}`, "E_FORM");
  const bytes = request.body ? await readAtMost(request.body, MAX_FORM_BYTES) : new Uint8Array();
  if (!bytes) throw new FlowError(`the form posted to ${path} is larger than ${MAX_FORM_BYTES / 1024} KiB, far more than ${expected} holds`, "E_FORM");
  return new URLSearchParams(new TextDecoder().decode(bytes));
}

/** A POST to the callback that is no form is refused as a forged callback is. */
function notACallback(error: unknown): never {
  throw new CallbackRejected(`${(error as Error).message}; rejected`, "E_FORM", { cause: error });
}

function failureTitle(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === AUTHORIZATION_ERROR) return "Authorization failed";
  if (code === ID_TOKEN_REJECTED) return "Invalid ID token";
  if (code === NO_ID_TOKEN) return "No ID token";
  return "The flow failed";
}

/** The same response, and a promise that settles once its body has been read out (or the client left). */
function trackDelivery(response: Response): [Response, Promise<void>] {
  let settle!: () => void;
  const delivered = new Promise<void>((resolve) => (settle = resolve));
  const source = response.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) {
        controller.close();
        settle();
      } else controller.enqueue(value);
    },
    cancel(reason) {
      settle();
      return source.cancel(reason);
    },
  });
  return [new Response(body, { status: response.status, headers: response.headers }), delivered];
}
