import { sentence } from "../chars.ts";
import { ApiError, NetworkError, TIMED_OUT, UncertainOutcomeError } from "../errors.ts";
import { FetchFailure } from "../runtime/failure.ts";
import type { Fetch } from "../runtime/index.ts";
import { excerpt, readText, redactSecrets } from "./body.ts";
import { formatMs, sleepUnlessAborted, timeLimit } from "./deadline.ts";
import { type Endpoint, resolvePath } from "./endpoint.ts";

export interface ApiClientOptions {
  endpoint: Endpoint;
  fetch: Fetch;
  /** Sent as `Authorization: Bearer …`. */
  accessToken?: string;
  /**
   * The whole time one call may take, retries and reading the answer included (default
   * 1 min). 0: one attempt, no retry, within `timeoutMs`.
   */
  failAfterMs?: number;
  /** How long one attempt may take, capped by what remains of `failAfterMs` (default 10 s). */
  timeoutMs?: number;
  /** Told once when a request starts being retried. */
  onRetry?: (message: string) => void;
  /** Added to the message when `failAfterMs` ran out, e.g. the flag that sets it. */
  budgetHint?: string;
  /** The first wait between attempts; doubled each time up to 5 s. */
  initialBackoffMs?: number;
}

/** How one request may be treated beyond its method. */
export interface SendOptions {
  /** It changes nothing, whatever its method (introspection is a POST): retried as a read is. */
  readOnly?: boolean;
}

/** Methods whose repetition leaves the server as one request would (RFC 9110, 9.2.2). */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Answers that say the request was not processed, so sending it again is safe. */
const NOT_PROCESSED = new Set([429, 503]);

/** The least time left for one more attempt. */
const LAST_ATTEMPT_MS = 50;

/** The longest wait between two attempts. */
const MAX_BACKOFF_MS = 5000;

/** Answers from a gateway, which may have passed the request on before failing. */
const GATEWAY_FAILURE = new Set([502, 504]);

/**
 * A payload sent as a form (`application/x-www-form-urlencoded`) instead of JSON. A class
 * of its own rather than a test for URLSearchParams in `send`: the engine builds each
 * global a function names when the function is first called, whether or not that line
 * runs, and every request calls `send` (README, Performance).
 */
export class FormPayload {
  readonly text: string;

  constructor(fields: URLSearchParams) {
    this.text = fields.toString();
  }
}

/**
 * Whether a request that failed may have reached the server and taken effect: one not sent
 * again for fear of that, or one whose answer was lost (a reset, a time limit, an answer no
 * HTTP client reads) once it had left. Not one that never left, nor one to a server that
 * does not speak TLS.
 */
export function mayHaveReachedServer(error: unknown): boolean {
  if (error instanceof UncertainOutcomeError) return true;
  if (!(error instanceof NetworkError)) return false;
  // The budget's last word wraps the attempt's failure.
  let cause = error.cause;
  while (cause instanceof NetworkError) cause = cause.cause;
  return !(cause instanceof FetchFailure && (cause.unsent || cause.kind === "tls" || cause.kind === "not-tls"));
}

/** Whether the request got no answer within its time limit (a server that hangs), however the error wraps it. */
export function timedOut(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) if (cause instanceof NetworkError && cause.code === TIMED_OUT) return true;
  return false;
}

/** Sends requests to one API base, retrying what can get better by waiting. */
export class ApiClient {
  readonly endpoint: Endpoint;
  readonly #options: ApiClientOptions;
  /** Made at the first wait between attempts, or by stopRetrying. */
  #retries?: AbortController;

  constructor(options: ApiClientOptions) {
    this.endpoint = options.endpoint;
    this.#options = options;
  }

  /**
   * Sends a request and resolves with the first final answer, its body still to be read
   * within the same time budget. What is retried, with backoff, until `failAfterMs`:
   * - an idempotent request: any connection failure but TLS, 5xx and 429;
   * - any other (a POST): only what provably never reached the server (connection refused,
   *   name or TLS failure before sending) and 429 or 503, which say it was not processed.
   * A non-idempotent request that may have reached the server fails with an
   * UncertainOutcomeError instead of being sent twice, unless `readOnly` says it changes
   * nothing (introspection is a POST). `payload` goes as JSON, or as a form when it is a
   * FormPayload (OAuth 2.0's introspection takes one).
   */
  async send(method: string, path: string, payload?: unknown, { readOnly = false }: SendOptions = {}): Promise<Response> {
    const { fetch, accessToken, failAfterMs = 60_000, timeoutMs = 10_000, onRetry, initialBackoffMs = 250 } = this.#options;
    let url = resolvePath(this.endpoint, path);
    let redirects = 0;
    const headers = new Headers({ Accept: "application/json" });
    const form = payload instanceof FormPayload;
    if (payload !== undefined) headers.set("Content-Type", form ? "application/x-www-form-urlencoded" : "application/json");
    if (accessToken) headers.set("Authorization", `Bearer ${accessToken}`);
    const body = payload === undefined ? undefined : form ? payload.text : JSON.stringify(payload);
    const repeatable = readOnly || IDEMPOTENT.has(method);
    const budgetMs = failAfterMs > 0 ? failAfterMs : timeoutMs;
    const deadline = Date.now() + budgetMs;
    let backoff = initialBackoffMs;
    let announced = false;
    let failure: NetworkError | undefined;
    for (;;) {
      // One timer an attempt: its own limit, or what is left of the budget (then named as the budget).
      const left = deadline - Date.now();
      const lastInBudget = left <= timeoutMs;
      const signal = lastInBudget ? timeLimit(left, budgetMs) : timeLimit(timeoutMs);
      let response: Response | undefined;
      try {
        response = await fetch(url, { method, headers, body, redirect: "manual", signal });
        const next = this.#redirectTarget(url, response);
        if (next && redirects++ < 3) {
          await response.body?.cancel();
          url = next;
          continue;
        }
        if (!repeatable && GATEWAY_FAILURE.has(response.status)) {
          const error = await apiError(response, `${method} ${this.#where(url)}`);
          throw new UncertainOutcomeError(mayHaveTakenEffect(error.message, method), { cause: error });
        }
        if (response.status < 500 && response.status !== 429) return response;
        if (!repeatable && !NOT_PROCESSED.has(response.status)) return response;
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        const cause = error.cause;
        // Waiting does not fix a certificate, a port that speaks plain HTTP, or a request the
        // runtime will not send.
        if (cause instanceof FetchFailure && (cause.kind === "tls" || cause.kind === "not-tls" || cause.kind === "blocked")) throw error;
        // An answer no HTTP client reads came after the server read the request: Hydra echoes
        // what it was sent in its headers, so it may have acted on it all the same.
        if (!repeatable && !(cause instanceof FetchFailure && cause.unsent)) {
          throw new UncertainOutcomeError(mayHaveTakenEffect(error.message, method), { cause: error });
        }
        // Nor does it fix a server that does not speak HTTP.
        if (cause instanceof FetchFailure && cause.kind === "malformed") throw error;
        // Nor a server that answers with a status HTTP has no final answer for: asked again, it answers the same.
        if (cause instanceof FetchFailure && cause.kind === "status") throw error;
        // The attempt the budget cut short says less than the failure before it.
        if (!(lastInBudget && signal.aborted && failure)) failure = error;
      }
      const remaining = deadline - Date.now();
      // No attempt starts that the budget would cut short at once: an aborted POST could
      // not be told apart from one the server received.
      const wait = retryWait(backoff, response, remaining);
      const retrying = failAfterMs > 0 && wait >= 0;
      let waited = false;
      if (retrying && !this.#retries?.signal.aborted) {
        if (!announced && onRetry) {
          const reason = response ? `${this.#where(url)} answered ${response.status}` : failure!.message;
          // A reason that ends in a question ("…is the port right?") ends its sentence.
          const next = reason.endsWith("?") ? " Retrying" : "; retrying";
          onRetry(`${reason}${next} for up to ${formatMs(budgetMs)} in all (Ctrl+C stops)`);
          announced = true;
        }
        // The connection is not held for the wait: the answer is kept as its status alone.
        await response?.body?.cancel();
        waited = true;
        await sleepUnlessAborted(wait, (this.#retries ??= new AbortController()).signal);
      }
      if (!retrying || this.#retries?.signal.aborted) {
        // The last answer is the answer, unread, as when the budget runs out.
        if (response) return waited ? new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers }) : response;
        const hint = this.#options.budgetHint ? `; ${this.#options.budgetHint}` : "";
        // Without a budget there was one attempt, however soon it failed: no waiting to report.
        const tried = retrying ? "not retried once interrupted" : failAfterMs > 0 ? `gave up after ${formatMs(budgetMs)}` : "one attempt, no retry";
        throw new NetworkError(`${failure!.message} (${tried}${retrying ? "" : hint})`, failure!.code, { cause: failure });
      }
      backoff = backoff * 2 < MAX_BACKOFF_MS ? backoff * 2 : MAX_BACKOFF_MS;
    }
  }

  /**
   * From now on, a request that would wait to be sent again ends with its last answer or
   * failure, at once if it is waiting: what the first Ctrl+C (or SIGTERM, SIGHUP) of a
   * command over many items asks, so that it finishes the work under way without waiting
   * out the retries of a server that does not answer.
   */
  stopRetrying(): void {
    (this.#retries ??= new AbortController()).abort();
  }

  /** The request's URL for a message, without its query; over a socket, the socket's. */
  #where(url: URL): string {
    return this.endpoint.unixSocket ? `${url.pathname} on ${this.endpoint.display}` : `${url.origin}${url.pathname}`;
  }

  /**
   * Hydra v2 answers the v1 paths (`/clients`) with a 307 to `/admin/clients`. That move, the
   * same path and query under /admin on the same server, is the one redirect followed: the
   * request is re-sent there, method, body and token included (over a unix socket, onto the
   * socket; under the endpoint's own path prefix, if it has one). Any other is the answer:
   * another origin is never sent the token, and a router that cleans `..` out of a path
   * would turn a DELETE of one resource into a DELETE of another.
   */
  #redirectTarget(from: URL, response: Response): URL | undefined {
    const location = response.headers.get("location");
    if ((response.status !== 307 && response.status !== 308) || !location) return undefined;
    const target = new URL(location, from);
    const path = from.pathname.slice(this.endpoint.baseUrl.pathname.length);
    if (!this.endpoint.unixSocket && target.origin !== from.origin) return undefined;
    if (!target.pathname.endsWith(`/admin/${path}`) || target.search !== from.search) return undefined;
    return new URL(`admin/${path}${from.search}`, this.endpoint.baseUrl);
  }
}

/**
 * The wait before the next attempt: the backoff, or the server's Retry-After when longer,
 * leaving the last attempt its time; below 0 when none fits. Here and in
 * sleepUnlessAborted, not in `send`, for the reason FormPayload gives: only a retry needs
 * Math and timers.
 */
function retryWait(backoffMs: number, response: Response | undefined, remainingMs: number): number {
  return Math.min(Math.max(backoffMs, response ? retryAfterMs(response) : 0), remainingMs - LAST_ATTEMPT_MS);
}

function mayHaveTakenEffect(what: string, method: string): string {
  return `${sentence(what)} The ${method} may have reached the server and taken effect, so it was not sent again`;
}

/** `Retry-After` in seconds (the date form is rare from APIs and ignored). */
function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get("retry-after") ?? "");
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/**
 * Turns an error answer into one line. Hydra speaks two dialects: the OAuth 2.0 one
 * (`error`, `error_description`, `error_hint`, `error_debug`) and, in v2's admin API,
 * `{"error": {"message", "reason"}}`.
 */
export async function apiError(response: Response, what: string): Promise<ApiError> {
  const text = await readText(response, what).catch(() => "");
  let detail = excerpt(text);
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const nested = body.error && typeof body.error === "object" ? (body.error as Record<string, unknown>) : undefined;
    const parts = nested
      ? [nested.message, nested.reason, nested.debug]
      : [body.error_description || body.error, body.error_hint, body.error_debug];
    // Hydra v1.8 often repeats its hint at the end of the description: said once.
    const words: string[] = [];
    for (const part of parts) if (typeof part === "string" && part.trim() !== "" && !words.some((word) => word.includes(part.trim()))) words.push(part.trim());
    if (words.length > 0) detail = redactSecrets(words.join(" ").replace(/\s+/g, " "));
  } catch {
    // Not JSON: the excerpt of the raw body says more than nothing.
  }
  // A redirect not followed (see #redirectTarget) says where it pointed: often the body is empty.
  const location = response.status >= 300 && response.status < 400 ? response.headers.get("location") : null;
  if (location) detail = `${detail === "(empty)" ? "" : `${detail}; `}it points to ${withoutQuery(location)}, which hydractl does not follow (is the endpoint right?)`;
  // Go's (and so Hydra's) answer to plain http on its TLS port.
  if (response.status === 400 && text.startsWith("Client sent an HTTP request to an HTTPS server")) detail = `${detail}; the server speaks HTTPS: give the URL with https://`;
  return new ApiError(`${what} failed: ${response.status} ${response.statusText || statusName(response.status)}: ${detail}`, response.status);
}

/** A Location for a message, without its query (which may carry a code or a token). */
function withoutQuery(location: string): string {
  const at = location.search(/[?#]/);
  return at < 0 ? location : location.slice(0, at);
}

function statusName(status: number): string {
  return ({ 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict" } as Record<number, string>)[status] ?? "";
}
