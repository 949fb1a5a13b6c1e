import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { MAX_STREAM_BYTES, readAtMost } from "../bytes.ts";
import { ADDRESS_IN_USE, NetworkError } from "../errors.ts";
import { browserCommand } from "./browser.ts";
import { CERTIFICATE, CODE_WORDS, FetchFailure, type FailureKind, fromNodeError, notAFile, outputFailure, stdinStream, tooLarge, unreadable } from "./failure.ts";
import { ordered } from "./ordered.ts";
import { userCacheDir } from "./paths.ts";
import { hideTyping } from "./terminal.ts";
import type { DenoHttpClient, DenoHttpServer, DenoNamespace, DenoProxy } from "./deno.d.ts";
import type { Fetch, Runtime, ServeOptions, Server, TransportOptions } from "./types.ts";

const Deno = (globalThis as unknown as { Deno: DenoNamespace }).Deno;

const encoder = new TextEncoder();

async function writeAll(writer: { write(p: Uint8Array): Promise<number> }, text: string): Promise<void> {
  const bytes = encoder.encode(text);
  for (let offset = 0; offset < bytes.length; ) offset += await writer.write(bytes.subarray(offset));
}

async function serve(options: ServeOptions): Promise<Server> {
  let server: DenoHttpServer;
  try {
    server = Deno.serve(
      {
        hostname: options.hostname,
        port: options.port,
        ...(options.tls ?? {}),
        onListen() {},
        // A handler that fails gets a bare 500, as on Bun, without the error Deno would print.
        onError: () => new Response("Internal Server Error", { status: 500 }),
      },
      // Over TLS Deno's server speaks HTTP/2 with a browser, whose requests name their host
      // in :authority, not in a Host header: the request gets the header from its URL, as
      // an HTTP/1.1 one has it, for the handler's check of where it was sent. (Deno cannot
      // say which protocol a request came by, and gives one over HTTP/1 without a Host the
      // URL of localhost:PORT; only a client other than a browser sends one, and only over
      // plain HTTP is it refused, as on Bun.)
      options.tls ? (request) => (request.headers.has("host") ? options.handler(request) : options.handler(withHost(request))) : options.handler,
    );
  } catch (error) {
    const where = `${options.hostname}:${options.port}`;
    if (error instanceof Deno.errors.AddrInUse) {
      throw new NetworkError(`${where} is already in use`, ADDRESS_IN_USE, { cause: error });
    }
    throw new NetworkError(`cannot listen on ${where}: ${(error as Error).message}`, "E_LISTEN", { cause: error });
  }
  return { port: server.addr.port, close: () => server.shutdown() };
}

function withHost(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.set("host", new URL(request.url).host);
  return new Request(request, { headers });
}

// Deno's fetch has no switch to skip certificate checks (only a start-up flag does), so
// `--skip-tls-verify` goes through node:https, which has one.
async function insecureFetch(request: Request): Promise<Response> {
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  return await new Promise<Response>((resolve, reject) => {
    const outgoing = httpsRequest(
      request.url,
      {
        method: request.method,
        headers: Object.fromEntries(request.headers),
        rejectUnauthorized: false,
        signal: request.signal,
      },
      (incoming) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const item of [value ?? []].flat()) headers.append(name, item);
        }
        const status = incoming.statusCode ?? 502;
        const nullBody = status === 204 || status === 304 || request.method === "HEAD";
        resolve(
          new Response(nullBody ? null : (Readable.toWeb(incoming) as unknown as ReadableStream<Uint8Array>), {
            status,
            statusText: incoming.statusMessage,
            headers,
          }),
        );
      },
    );
    outgoing.on("error", (error) => reject(request.signal.aborted ? request.signal.reason : fromNodeError(error)));
    outgoing.end(body);
  });
}

/**
 * Deno's fetch throws `TypeError("fetch failed")` with hyper's words in the cause:
 * "error sending request for url (…): client error (Connect): tcp connect error: Connection
 * refused (os error 111)". `(Connect)` means the connection never carried the request;
 * `(SendRequest)` and a bare "Connection reset by peer" come after it was written.
 */
function fromDenoError(error: unknown): FetchFailure {
  const full = String((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message ?? error);
  const connecting = /client error \(Connect\)/.test(full);
  const reason = tlsWords(full.replace(/^.*client error \([A-Za-z]+\): /, "").replace(/^error sending request[^:]*: /, ""));
  const failure = (kind: FailureKind) => new FetchFailure(kind, connecting, reason, { cause: error });
  if (/Requests to port \d+ are blocked/.test(full)) return new FetchFailure("blocked", true, reason, { cause: error });
  // DENO_CERT (or --cert) naming a file that is not there: no request is made at all.
  if (/Failed opening CA file/.test(full)) return new FetchFailure("blocked", true, `${reason} (given by DENO_CERT or --cert)`, { cause: error });
  if (/Connection refused|No such file or directory/i.test(full)) return failure("refused");
  if (/Too many open files/.test(full)) return new FetchFailure("other", true, CODE_WORDS[/in system/.test(full) ? "ENFILE" : "EMFILE"]!, { cause: error });
  // hyper's parse errors: "invalid HTTP version parsed", "invalid content-length parsed", …
  if (/invalid content-length parsed/i.test(full)) return new FetchFailure("malformed", false, CODE_WORDS.InvalidContentLength!, { cause: error });
  if (/invalid HTTP [a-z-]+ parsed|invalid header|message head is too large/i.test(full)) return new FetchFailure("malformed", false, CODE_WORDS.InvalidHTTPResponse!, { cause: error });
  if (/dns error|failed to lookup address/i.test(full)) return failure("name");
  if (/InvalidContentType/.test(full)) return failure("not-tls");
  if (connecting && /certificate|tls|handshake|UnknownIssuer|NotValidForName/i.test(full)) return failure("tls");
  if (/connection closed|reset by peer|broken pipe/i.test(full)) return failure("closed");
  return failure("other");
}

/** rustls's words for a certificate it refuses, as Bun's fetch says them (src/runtime/failure.ts). */
function tlsWords(reason: string): string {
  if (/UnknownIssuer/.test(reason)) return CERTIFICATE.untrustedIssuer;
  if (/CaUsedAsEndEntity|SelfSigned/i.test(reason)) return CERTIFICATE.selfSigned;
  if (/certificate expired|Expired\b/.test(reason)) return CERTIFICATE.expired;
  if (/not valid for name|NotValidForName/.test(reason)) return CERTIFICATE.otherHost;
  if (/NotValidYet|not valid before/.test(reason)) return CERTIFICATE.notYetValid;
  return reason;
}

/** The variables that name a proxy, which Deno's own fetch obeys too. */
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];

/** Their values, once taken out of the process's environment (see takeProxyVariables). */
let proxyVariables: Record<string, string> | undefined;

/**
 * Takes the proxy variables out of the process's environment, keeping their values for
 * hydractl, which applies them itself (src/http/proxy.ts). Deno's fetch reads them too, and
 * its NO_PROXY differently (no host:port, no `*`, no spaces), so a request hydractl sends
 * direct went through the proxy all the same. A browser started later gets them back.
 */
function takeProxyVariables(): void {
  if (proxyVariables) return;
  const taken: Record<string, string> = {};
  for (const name of PROXY_VARIABLES) {
    const value = envValue(name);
    if (value === undefined) continue;
    taken[name] = value;
    Deno.env.delete(name);
  }
  proxyVariables = taken;
}

function createFetch(options: TransportOptions): Fetch {
  takeProxyVariables();
  const clients = new Map<string, DenoHttpClient>();
  const client = (key: string, proxy: DenoProxy) => {
    let found = clients.get(key);
    if (!found) clients.set(key, (found = Deno.createHttpClient({ proxy })));
    return found;
  };
  const send = (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (options.unixSocket) {
      return fetch(request, { client: client("unix", { transport: "unix", path: options.unixSocket }) } as RequestInit);
    }
    const proxy = options.proxyFor?.(url);
    if (options.insecure && url.protocol === "https:") {
      if (proxy) {
        const unsupported = "--skip-tls-verify through a proxy is not supported on Deno; use the compiled binary, or NO_PROXY for this host";
        throw new FetchFailure("blocked", true, unsupported, { cause: undefined });
      }
      return insecureFetch(request);
    }
    return proxy ? fetch(request, { client: client(proxy, { url: proxy }) } as RequestInit) : fetch(request);
  };
  return async (input, init) => {
    const request = new Request(input, init);
    try {
      return await send(request);
    } catch (error) {
      // An abort is the caller's own doing, and ours pass through already described.
      if (request.signal.aborted || error instanceof FetchFailure || error instanceof NetworkError) throw error;
      throw fromDenoError(error);
    }
  };
}

async function openBrowser(url: string): Promise<boolean> {
  const [command, ...args] = browserCommand(Deno.build.os);
  try {
    const child = new Deno.Command(command!, { args: [...args, url], env: proxyVariables ?? {}, stdin: "null", stdout: "null", stderr: "null" }).spawn();
    const timeout = new Promise<{ success: boolean }>((resolve) => setTimeout(() => resolve({ success: true }), 3000));
    return (await Promise.race([child.status, timeout])).success;
  } catch {
    return false;
  }
}

async function stty(args: string[]): Promise<string | undefined> {
  try {
    const { success, stdout } = await new Deno.Command("stty", { args, stdin: "inherit", stdout: "piped", stderr: "null" }).output();
    return success ? new TextDecoder().decode(stdout) : undefined;
  } catch {
    // No stty on this system, or no permission to run it.
    return undefined;
  }
}

/**
 * An environment variable. Deno throws for a value that is not UTF-8, quoting it (a secret,
 * perhaps) in its message; Bun replaces the bytes with U+FFFD, which the flag's check then
 * names as not UTF-8 (src/cli/flags.ts). Here it reads as that character alone.
 */
function envValue(name: string): string | undefined {
  if (proxyVariables && PROXY_VARIABLES.includes(name)) return proxyVariables[name];
  try {
    return Deno.env.get(name);
  } catch {
    return "\uFFFD";
  }
}

export const denoRuntime: Runtime = {
  name: "deno",
  args: () => Deno.args,
  // Deno runs hydractl from its sources only.
  invokedAs: () => undefined,
  env: envValue,
  homeDir: () => envValue("HOME") || envValue("USERPROFILE"),
  cacheDir: () => userCacheDir(Deno.build.os, envValue, denoRuntime.homeDir()),
  async readFile(path, maxBytes) {
    try {
      const info = await Deno.stat(path);
      if (info.isDirectory) throw notAFile(path);
      if (info.isFile && maxBytes !== undefined && info.size > maxBytes) throw tooLarge(path, maxBytes);
      if (info.isFile) return await Deno.readFile(path);
      // A pipe (a shell's <(…)) or a device: nothing but a limit bounds it.
      const bytes = await readAtMost((await Deno.open(path)).readable, maxBytes ?? MAX_STREAM_BYTES);
      if (!bytes) throw tooLarge(path, maxBytes);
      return bytes;
    } catch (error) {
      // A path through a regular file (`/etc/passwd/x`) does not exist either, as Bun says.
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return undefined;
      throw unreadable(path, error);
    }
  },
  async absence(path) {
    try {
      return (await Deno.stat(path)).isDirectory ? "directory" : "missing";
    } catch (error) {
      return error instanceof Deno.errors.PermissionDenied ? "denied" : "missing";
    }
  },
  writePrivateFile: async (path, text) => (await import("./files.ts")).writePrivateFile(path, text),
  keepPrivate: async (path) => (await import("./private.ts")).keepPrivate(path, denoRuntime.fileMode),
  // Deno says null where there are no modes (Windows).
  fileMode: async (path) => (await Deno.stat(path)).mode ?? undefined,
  stdin: () => stdinStream(() => Deno.stdin.readable),
  writeStdout: ordered((text) => writeAll(Deno.stdout, text), outputFailure),
  writeStderr: ordered((text) => writeAll(Deno.stderr, text)),
  isTerminal: (stream) => Deno[stream].isTerminal(),
  hideTyping: () => hideTyping(stty),
  onInterrupt(callback) {
    // SIGHUP: the terminal was closed, or the SSH connection dropped.
    const signals = Deno.build.os === "windows" ? (["SIGINT"] as const) : (["SIGINT", "SIGTERM", "SIGHUP"] as const);
    const listeners = signals.map((signal) => [signal, () => callback(signal)] as const);
    for (const [signal, listener] of listeners) Deno.addSignalListener(signal, listener);
    return () => {
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    };
  },
  exit: (code) => Deno.exit(code),
  serve,
  openBrowser,
  createFetch,
};
