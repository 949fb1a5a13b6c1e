import { NetworkError } from "../errors.ts";
import type { Fetch, Runtime } from "../runtime/index.ts";
import { proxyFor } from "./proxy.ts";

export interface TransportSettings {
  unixSocket?: string;
  skipTlsVerify?: boolean;
  /** `-H` headers, added to every request (they win over hydractl's own). */
  headers?: readonly [string, string][];
  /** `--fake-tls-termination`: tell Hydra the request came through a TLS-terminating proxy. */
  fakeTlsTermination?: boolean;
}

/**
 * The one fetch every request of a command goes through: Hydra's admin API, discovery,
 * JWKS, token endpoint. It adds the `-H` headers and applies the proxy, socket and TLS
 * settings that web-standard fetch cannot express.
 */
export function createTransport(runtime: Runtime, settings: TransportSettings): Fetch {
  const base = runtime.createFetch({
    unixSocket: settings.unixSocket,
    insecure: settings.skipTlsVerify,
    proxyFor: (url) => proxyFor(url, runtime.env),
  });
  return async (input, init) => {
    const request = new Request(input, init);
    if (settings.fakeTlsTermination) request.headers.set("X-Forwarded-Proto", "https");
    for (const [name, value] of settings.headers ?? []) request.headers.set(name, value);
    try {
      return await base(request);
    } catch (error) {
      throw describeFailure(request, error);
    }
  };
}

const TLS_FAILURE = /certificate|cert_|self[- ]signed|unknownissuer|tls|ssl|handshake/i;

/** Turns what a runtime's fetch throws into one line that says what went wrong and where. */
export function describeFailure(request: Request, error: unknown): NetworkError {
  if (error instanceof NetworkError) return error;
  const where = new URL(request.url).origin;
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  const detail = `${code ?? ""} ${message ?? ""} ${String((error as { cause?: unknown }).cause ?? "")}`;
  if (name === "TimeoutError" || name === "AbortError") {
    return new NetworkError(`${where} did not answer in time`, "E_TIMEOUT", { cause: error });
  }
  if (TLS_FAILURE.test(detail)) {
    return new NetworkError(
      `TLS handshake with ${where} failed (${firstLine(message)}); if you trust this server, --skip-tls-verify skips the certificate check`,
      "E_TLS",
      { cause: error },
    );
  }
  const reason = /refused/i.test(detail) ? "connection refused" : firstLine(message);
  return new NetworkError(`cannot reach ${where}: ${reason}`, "E_CONNECT", { cause: error });
}

function firstLine(text = "unknown error"): string {
  return text.split("\n")[0]!.trim();
}
