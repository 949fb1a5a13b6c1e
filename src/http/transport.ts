import { DryRunStop, NetworkError, TIMED_OUT, TLS_FAILED } from "../errors.ts";
import { FetchFailure, untrustedIssuer } from "../runtime/failure.ts";
import type { Fetch, Runtime } from "../runtime/index.ts";
import { declaredLength, MAX_BODY_BYTES } from "./body.ts";
import { formatMs, TimeLimitReached, timeLimit, untilAborted } from "./deadline.ts";
import { isLoopbackName } from "./endpoint.ts";
import { proxyFor, proxyOf } from "./proxy.ts";

export interface TransportSettings {
  unixSocket?: string;
  skipTlsVerify?: boolean;
  /** `-H` headers, added to every request (they win over hydractl's own). */
  headers?: readonly [string, string][];
  /**
   * The origins `headers` go to, where a command's requests may go elsewhere (an endpoint a
   * server's metadata names on another host): those go without them. Default: every request.
   */
  headerOrigins?: readonly string[];
  /** Told, once an origin, when a request there goes without `headers`. */
  onWithheld?: (origin: string) => void;
  /** Told, once a header, when one of `headers` replaces a different value of hydractl's own. */
  onReplaced?: (name: string) => void;
  /** `--fake-tls-termination`: tell Hydra the request came through a TLS-terminating proxy. */
  fakeTlsTermination?: boolean;
  /** The limit, body included, for a request whose caller passes no signal (default 30 s). */
  timeoutMs?: number;
  /** Added to a failed TLS handshake: how to accept the certificate, where that is allowed. */
  insecureHint?: string;
  /**
   * Send nothing: each request, headers added, is shown as a curl command line and the
   * call throws DryRunStop. `secrets` maps secret values to the shell variables shown instead.
   */
  dryRun?: { secrets?: ReadonlyMap<string, string> };
}

/**
 * The one fetch every request of a command goes through: Hydra's admin API, discovery,
 * JWKS, token endpoint. It adds the `-H` headers and applies the proxy, socket and TLS
 * settings that web-standard fetch cannot express. The request's signal also bounds
 * reading the body, and every failure, while connecting or while the body arrives,
 * becomes a NetworkError that names the URL.
 */
export function createTransport(runtime: Runtime, settings: TransportSettings): Fetch {
  const { dryRun } = settings;
  // A dry run's code (curl lines, shell quoting) loads only for a dry run.
  const base: Fetch | Promise<Fetch> = dryRun
    ? import("./dry-run.ts").then(({ dryRunFetch }) => dryRunFetch({ unixSocket: settings.unixSocket, insecure: settings.skipTlsVerify, secrets: dryRun.secrets }))
    : runtime.createFetch({
        unixSocket: settings.unixSocket,
        insecure: settings.skipTlsVerify,
        proxyFor: (url) => proxyFor(url, runtime.env),
      });
  // Headers already warned about, and origins sent none; made at the first, as few runs have one.
  let replaced: Set<string> | undefined;
  let withheld: Set<string> | undefined;
  return async (input, init) => {
    const send = await base;
    const request = new Request(input, { ...init, signal: init?.signal ?? timeLimit(settings.timeoutMs ?? 30_000) });
    if (settings.fakeTlsTermination) request.headers.set("X-Forwarded-Proto", "https");
    let headers = settings.headers;
    if (headers?.length && settings.headerOrigins) {
      const { origin } = new URL(request.url);
      if (!settings.headerOrigins.includes(origin)) {
        headers = undefined;
        if (!withheld?.has(origin)) settings.onWithheld?.(origin);
        (withheld ??= new Set()).add(origin);
      }
    }
    for (const [name, value] of headers ?? []) {
      const own = request.headers.get(name);
      if (own !== null && own !== value && !replaced?.has(name.toLowerCase())) {
        (replaced ??= new Set()).add(name.toLowerCase());
        settings.onReplaced?.(name);
      }
      request.headers.set(name, value);
    }
    // A proxy variable no request can go through is said before the first one, and not retried.
    const proxy = settings.unixSocket ? undefined : proxyOf(new URL(request.url), runtime.env);
    let response: Response;
    try {
      response = await send(request);
    } catch (error) {
      if (error instanceof DryRunStop) throw error;
      const failure = throughProxy(describeFailure(request, error, "answering", settings.unixSocket), proxy, request);
      if (failure.code !== TLS_FAILED) throw failure;
      // A private certificate authority (or a self-signed server) is trusted without turning
      // the checks off: a variable both runtimes read.
      const privateCa = failure.cause instanceof FetchFailure && untrustedIssuer(failure.cause) ? "; NODE_EXTRA_CA_CERTS=FILE trusts the certificate authority in that PEM file" : "";
      if (!privateCa && !settings.insecureHint) throw failure;
      throw new NetworkError(`${failure.message}${privateCa}${settings.insecureHint ? `; ${settings.insecureHint}` : ""}`, failure.code, { cause: failure.cause });
    }
    // The runtime cannot hand on an answer whose status no final answer has (199, 999).
    if (response.status < 200 || response.status > 599) {
      response.body?.cancel().catch(() => {});
      throw describeFailure(request, new FetchFailure("status", false, `status ${response.status}`, { cause: undefined }), "answering", settings.unixSocket);
    }
    // A compressed body's declared length is before decompressing: a few hundred KiB of gzip
    // can hold gigabytes, which the runtime's whole-body read would hold in memory at once.
    const encoding = response.headers.get("content-encoding");
    const compressed = encoding !== null && encoding.toLowerCase() !== "identity" ? encoding : undefined;
    return !compressed && declaredLength(response) <= MAX_BODY_BYTES ? await buffered(request, response, settings.unixSocket) : guardBody(request, response, settings.unixSocket, compressed);
  };
}

/**
 * A failure names the proxy the request went through: the target may be fine, and a proxy
 * that accepts and never answers looks to the user like a server that does not.
 */
function throughProxy(failure: NetworkError, through: { variable: string; url: string } | undefined, request: Request): NetworkError {
  if (!through) return failure;
  // The variable, never its value, which may carry a password.
  const proxy = through.variable;
  // Through a proxy the client connects to the proxy alone (a target the proxy cannot reach
  // is the proxy's answer): a refused connection or a name that does not resolve is the proxy's.
  const { cause } = failure;
  if (cause instanceof FetchFailure && (cause.kind === "refused" || cause.kind === "name")) {
    const what = cause.kind === "refused" ? "connection refused; is the proxy running, and is its port right?" : "its host name does not resolve; is it spelled right?";
    // A proxy set for the internet is used for this machine too, as curl uses it, unless NO_PROXY says otherwise.
    const { hostname } = new URL(request.url);
    const local = isLoopbackName(hostname) ? ` (NO_PROXY=${hostname} sends requests to this machine directly)` : "";
    return new NetworkError(`cannot connect to the proxy ${proxy} names, on the way to ${describeTarget(request)}: ${what}${local}`, failure.code, { cause });
  }
  // An https:// proxy is reached over TLS before anything else: a plain-HTTP one fails there.
  // To an http:// target that is the proxy alone; to an https:// one, it or the target.
  if (cause instanceof FetchFailure && cause.kind === "not-tls" && through.url.toLowerCase().startsWith("https:")) {
    const target = describeTarget(request);
    const message = target.startsWith("https:")
      ? `the proxy ${proxy} names, or ${target} behind it, does not speak TLS (plain HTTP?); the proxy's https:// URL is reached over TLS first: check it, then the server's`
      : `cannot connect to the proxy ${proxy} names, on the way to ${target}: it does not speak TLS (plain HTTP?); write its URL http:// instead of https://`;
    return new NetworkError(message, failure.code, { cause });
  }
  return new NetworkError(`${failure.message} (through the proxy ${proxy} names)`, failure.code, { cause: failure.cause });
}

/**
 * A body of a declared length within the cap (most answers: HTTP framing then bounds it)
 * is read whole by the runtime's native path, which starts sooner than a stream of our own
 * (a promise and a pull per chunk). The deadline needs no watching here: when
 * the request's signal fires, Bun's and Deno's fetch end the read with its reason.
 */
async function buffered(request: Request, response: Response, unixSocket?: string): Promise<Response> {
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  let bytes: ArrayBuffer;
  try {
    bytes = await response.arrayBuffer();
  } catch (error) {
    response.body?.cancel().catch(() => {});
    // The failure surfaces where the body is read, as a streamed body's does.
    return failingBody(describeFailure(request, error, "sending its answer", unixSocket), init);
  }
  // A 204 or 304 may declare a length of 0, and cannot be given a body, even an empty one.
  return new Response(bytes.byteLength ? bytes : null, init);
}

/**
 * An answer whose body fails with `failure` when read. Its own function: `buffered` runs
 * for every request, and only a failed one needs ReadableStream (see FormPayload in api.ts).
 */
function failingBody(failure: NetworkError, init: ResponseInit): Response {
  return new Response(new ReadableStream({ start: (controller) => controller.error(failure) }), init);
}

/**
 * A body of unknown length (or one beyond the cap, or compressed) is handed on chunk by chunk, failing when
 * the request's signal fires (a server that stalls or trickles must not outlast the
 * deadline, whatever the runtime does with the signal once the headers are in), once it
 * passes the cap (whoever reads it: oauth4webapi reads discovery, token and userinfo
 * answers whole), and describing a connection that breaks mid-body.
 */
function guardBody(request: Request, response: Response, unixSocket?: string, compressed?: string): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  const { signal } = request;
  let received = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await untilAborted(signal, reader.read());
        if (done) controller.close();
        else if ((received += value.byteLength) > MAX_BODY_BYTES) {
          reader.cancel().catch(() => {});
          controller.error(tooLarge(request, unixSocket));
        } else controller.enqueue(value);
      } catch (error) {
        reader.cancel().catch(() => {});
        // The runtime says a broken compressed stream in its own words (Bun's "ZlibError").
        const broken = compressed && !signal.aborted;
        controller.error(broken ? brokenCompressed(request, compressed, error, unixSocket) : describeFailure(request, error, "sending its answer", unixSocket));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function brokenCompressed(request: Request, encoding: string, cause: unknown, unixSocket?: string): NetworkError {
  return new NetworkError(`${describeTarget(request, unixSocket)} sent a compressed answer (${encoding}) that broke off or does not decompress`, "E_RESPONSE", { cause });
}

function tooLarge(request: Request, unixSocket?: string): NetworkError {
  const limit = `${MAX_BODY_BYTES / 1024 / 1024} MiB`;
  return new NetworkError(`${describeTarget(request, unixSocket)} sent an answer larger than ${limit}, more than hydractl reads; is the URL right?`, "E_RESPONSE");
}

/** Which request, for a message: the URL without its query (which may carry a challenge). */
function describeTarget(request: Request, unixSocket?: string): string {
  const url = new URL(request.url);
  return unixSocket ? `${url.pathname} on unix://${unixSocket}` : `${url.origin}${url.pathname}`;
}

/**
 * Turns what a runtime's fetch throws into one line that says where, what happened, and
 * what to try. `phase` is what the server was doing when it failed: answering (no
 * status line yet) or sending its answer (the body).
 */
export function describeFailure(request: Request, error: unknown, phase: "answering" | "sending its answer" = "answering", unixSocket?: string): NetworkError {
  if (error instanceof NetworkError) return error;
  const where = describeTarget(request, unixSocket);
  const reason = request.signal.aborted ? request.signal.reason : error;
  if (reason instanceof TimeLimitReached || (reason as Error | undefined)?.name === "TimeoutError") {
    const limit = reason instanceof TimeLimitReached ? ` within ${formatMs(reason.ms)}` : " in time";
    const what = phase === "answering" ? "did not answer" : "did not finish sending its answer";
    return new NetworkError(`${where} ${what}${limit}`, TIMED_OUT, { cause: reason });
  }
  // A body that breaks off fails as a plain stream error, whose words are the runtime's.
  if (phase !== "answering") return new NetworkError(`${where} closed the connection in the middle of its answer`, "E_CLOSED", { cause: error });
  if (!(error instanceof FetchFailure)) {
    return new NetworkError(`cannot reach ${where}: ${(error as Error | undefined)?.message ?? String(error)}`, "E_CONNECT", { cause: error });
  }
  switch (error.kind) {
    case "refused":
      return new NetworkError(`cannot connect to ${where}: connection refused; is the server running, and is the ${unixSocket ? "socket's path" : "port"} right?`, "E_CONNECT", { cause: error });
    case "name":
      return new NetworkError(`cannot connect to ${where}: the host name does not resolve; is it spelled right?`, "E_DNS", { cause: error });
    case "not-tls":
      return new NetworkError(`${where} does not speak TLS on this port (plain HTTP?); use http:// instead of https://`, "E_NOT_TLS", { cause: error });
    case "tls":
      return new NetworkError(
        `TLS handshake with ${where} failed (${error.message})`,
        TLS_FAILED,
        { cause: error },
      );
    case "closed":
      return new NetworkError(`${where} closed the connection without answering; is it the right server and port?`, "E_CLOSED", { cause: error });
    case "malformed":
      return new NetworkError(`${where} answered with something that is not valid HTTP (${error.message})`, "E_RESPONSE", { cause: error });
    case "status":
      return new NetworkError(`${where} answered with ${error.message}, which is no final HTTP status`, "E_RESPONSE", { cause: error });
    default:
      return new NetworkError(`cannot reach ${where}: ${error.message}`, "E_CONNECT", { cause: error });
  }
}
