import * as oauth from "oauth4webapi";
import { timeLimit } from "../http/deadline.ts";
import type { Fetch } from "../runtime/index.ts";

/** How long one exchange with the authorization server may take, its answer included, unless told otherwise. */
export const OAUTH_TIMEOUT_MS = 10_000;

/**
 * The options every oauth4webapi call gets: our transport (so `-H`, `--skip-tls-verify`
 * and proxies apply to discovery, JWKS and the token endpoint alike) and a bounded wait.
 * Plain http is allowed because the user named an http URL; the command warns when that
 * URL is not on loopback. A call given a `signal` of its own (Ctrl+C) ends at whichever
 * comes first.
 */
export function oauthHttpOptions(fetch: Fetch, allowHttp: boolean, timeoutMs = OAUTH_TIMEOUT_MS) {
  return {
    [oauth.customFetch]: (url: string, options: oauth.CustomFetchOptions<string, unknown>) =>
      fetch(url, { ...options, body: options.body as BodyInit | undefined, signal: options.signal ? AbortSignal.any([options.signal, timeLimit(timeoutMs)]) : timeLimit(timeoutMs) }),
    [oauth.allowInsecureRequests]: allowHttp,
  };
}
