import { UsageError } from "../errors.ts";
import { ApiClient } from "../http/api.ts";
import { type Endpoint, parseEndpoint } from "../http/endpoint.ts";
import { parseHeaders } from "../http/headers.ts";
import { parseDuration } from "../http/duration.ts";
import { createTransport } from "../http/transport.ts";
import type { Fetch } from "../runtime/index.ts";
import { booleanFlag, type CommandContext, listFlag, notifier, stringFlag } from "./context.ts";

/** Reads an endpoint flag, failing with the flag and its environment variable named. */
export function endpointFlag(context: CommandContext, flag: string, envName: string): Endpoint {
  const value = stringFlag(context.flags, flag);
  if (!value) throw new UsageError(`no endpoint given: set --${flag} or the ${envName} environment variable`);
  return parseEndpoint(value, flag);
}

/** The fetch that carries `-H`, `--skip-tls-verify`, `--fake-tls-termination`, proxies and sockets. */
export function transportFromFlags(context: CommandContext, unixSocket?: string): Fetch {
  const { flags, runtime } = context;
  const skipTlsVerify = booleanFlag(flags, "skip-tls-verify");
  if (skipTlsVerify) notifier(context)("warning: --skip-tls-verify is set; TLS certificates are not checked");
  return createTransport(runtime, {
    unixSocket,
    skipTlsVerify,
    headers: parseHeaders(listFlag(flags, "http-header")),
    fakeTlsTermination: booleanFlag(flags, "fake-tls-termination"),
  });
}

/** Hydra's admin API as the inherited flags describe it (`--endpoint`, `HYDRA_ADMIN_URL`…). */
export function adminApiFromFlags(context: CommandContext, flag = "endpoint", envName = "HYDRA_ADMIN_URL"): ApiClient {
  const endpoint = endpointFlag(context, flag, envName);
  return new ApiClient({
    endpoint,
    fetch: transportFromFlags(context, endpoint.unixSocket),
    accessToken: stringFlag(context.flags, "access-token"),
    failAfterMs: parseDuration(stringFlag(context.flags, "fail-after") ?? "1m", "fail-after"),
    onRetry: notifier(context),
    budgetHint: "--fail-after sets how long to wait",
  });
}
