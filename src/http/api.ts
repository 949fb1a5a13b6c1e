import { ApiError, NetworkError } from "../errors.ts";
import type { Fetch } from "../runtime/index.ts";
import { excerpt, readText } from "./body.ts";
import { type Endpoint, resolvePath } from "./endpoint.ts";

export interface ApiClientOptions {
  endpoint: Endpoint;
  fetch: Fetch;
  /** Sent as `Authorization: Bearer …` (`--access-token`). */
  accessToken?: string;
  /** How long to keep retrying unreachable servers and 5xx answers (`--fail-after`). */
  failAfterMs?: number;
  /** How long one attempt may take. */
  timeoutMs?: number;
  /** Told once when a request starts being retried. */
  onRetry?: (message: string) => void;
  /** The first wait between attempts; doubled each time up to 5 s. */
  initialBackoffMs?: number;
}

/** Sends requests to one API base, retrying what can get better by waiting. */
export class ApiClient {
  readonly endpoint: Endpoint;
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.endpoint = options.endpoint;
    this.#options = options;
  }

  /**
   * Sends a request and resolves with the first answer below 500. Connection failures and
   * 5xx answers are retried with backoff until `failAfterMs`; a 4xx is final at once,
   * and so is a TLS failure, which waiting cannot fix.
   */
  async send(method: string, path: string, json?: unknown): Promise<Response> {
    const { fetch, accessToken, failAfterMs = 60_000, timeoutMs = 10_000, onRetry, initialBackoffMs = 250 } = this.#options;
    let url = resolvePath(this.endpoint, path);
    let redirects = 0;
    const headers = new Headers({ Accept: "application/json" });
    if (json !== undefined) headers.set("Content-Type", "application/json");
    if (accessToken) headers.set("Authorization", `Bearer ${accessToken}`);
    const body = json === undefined ? undefined : JSON.stringify(json);
    const deadline = Date.now() + failAfterMs;
    let backoff = initialBackoffMs;
    let announced = false;
    for (;;) {
      let response: Response | undefined;
      let failure: NetworkError | undefined;
      try {
        response = await fetch(url, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
        const next = this.#redirectTarget(url, response);
        if (next && redirects++ < 3) {
          await response.body?.cancel();
          url = next;
          continue;
        }
        if (response.status < 500) return response;
      } catch (error) {
        if (!(error instanceof NetworkError) || error.code === "E_TLS") throw error;
        failure = error;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        if (response) return response;
        throw new NetworkError(`${failure!.message} (gave up after ${formatMs(failAfterMs)}; --fail-after sets how long to retry)`, failure!.code, {
          cause: failure,
        });
      }
      await response?.body?.cancel();
      if (!announced && onRetry) {
        const reason = response ? `answered ${response.status}` : failure!.message;
        onRetry(`unable to connect (${reason}), retrying until ${new Date(deadline).toISOString()}`);
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(backoff, remaining)));
      backoff = Math.min(backoff * 2, 5000);
    }
  }

  /**
   * Hydra v2 answers the v1 paths (`/clients`) with a 307 to `/admin/clients`. The request
   * is re-sent, method, body and token included, but only within the same server: over a
   * unix socket the new path is taken onto the socket, and another origin is never sent
   * the token.
   */
  #redirectTarget(from: URL, response: Response): URL | undefined {
    const location = response.headers.get("location");
    if ((response.status !== 307 && response.status !== 308) || !location) return undefined;
    const target = new URL(location, from);
    if (this.endpoint.unixSocket) return new URL(`${target.pathname}${target.search}`, this.endpoint.baseUrl);
    return target.origin === from.origin ? target : undefined;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
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
    const words = parts.filter((part): part is string => typeof part === "string" && part !== "");
    if (words.length > 0) detail = [...new Set(words)].join(" ").replace(/\s+/g, " ");
  } catch {
    // Not JSON: the excerpt of the raw body says more than nothing.
  }
  return new ApiError(`${what} failed: ${response.status} ${response.statusText || statusName(response.status)}: ${detail}`, response.status);
}

function statusName(status: number): string {
  return ({ 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict" } as Record<number, string>)[status] ?? "";
}
