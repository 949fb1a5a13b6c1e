import type { FileSink } from "bun";
import { MAX_STREAM_BYTES, readAtMost } from "../bytes.ts";
import { ADDRESS_IN_USE, NetworkError } from "../errors.ts";
import { browserCommand } from "./browser.ts";
import { type FetchFailure, fromNodeError, notAFile, outputFailure, stdinStream, tooLarge, unreadable, untrustedIssuer } from "./failure.ts";
import { ordered } from "./ordered.ts";
import { programName, userCacheDir } from "./paths.ts";
import { hideTyping } from "./terminal.ts";
import type { Fetch, Runtime, ServeOptions, Server, TransportOptions } from "./types.ts";

async function serve(options: ServeOptions): Promise<Server> {
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: options.hostname,
      port: options.port,
      // `ca` only checks client certificates, which this server never asks for; without
      // it Bun loads its bundled root certificates into the server, 7 ms of every --https start.
      tls: options.tls && { ...options.tls, ca: options.tls.cert },
      fetch: options.handler,
      // A handler that fails gets a bare 500, as on Deno. Bun's default would print the
      // error with the source around it on the user's stderr and, outside production, send
      // a developer page carrying the source and the working directory to whoever asked.
      development: false,
      error: internalError,
      // Outside development Bun binds with SO_REUSEPORT, and a second process (another
      // hydractl, or anyone's) would share the port and its callbacks instead of being refused.
      reusePort: false,
    });
  } catch (error) {
    throw listenError(options, error);
  }
  // The binary starts with a JIT policy for run-once start-up code (scripts/build); a
  // server lives on to handle requests, which deserve the normal one.
  Bun.unsafe.setJITPolicy(1);
  return {
    port: server.port ?? options.port,
    close: () => server.stop(),
  };
}

function internalError(): Response {
  return new Response("Internal Server Error", { status: 500 });
}

function listenError(options: ServeOptions, error: unknown): NetworkError {
  const where = `${options.hostname}:${options.port}`;
  if ((error as { code?: string }).code === "EADDRINUSE") {
    return new NetworkError(`${where} is already in use`, ADDRESS_IN_USE, { cause: error });
  }
  return new NetworkError(`cannot listen on ${where}: ${(error as Error).message}`, "E_LISTEN", { cause: error });
}

/**
 * The proxy variables, once taken out of the process's environment, their values kept for
 * hydractl, which applies them itself (src/http/proxy.ts). Bun's fetch reads them too, and
 * its NO_PROXY otherwise (not `.0.0.1` for an address), so a request hydractl sends direct
 * went through the proxy all the same. A browser started later gets them back. Written here,
 * not in a module shared with Deno's runtime: one more module on every command's path took
 * `clients create` past the engine's warm-up threshold (85 page faults).
 */
let proxyVariables: Record<string, string> | undefined;

function createFetch(options: TransportOptions): Fetch {
  if (!proxyVariables) {
    proxyVariables = Object.create(null) as Record<string, string>;
    for (const name of ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]) {
      const value = process.env[name];
      if (value === undefined) continue;
      proxyVariables[name] = value;
      delete process.env[name];
    }
  }
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const send = (request: Request | string | URL, ca?: string[]) =>
      fetch(request, {
        ...init,
        unix: options.unixSocket,
        proxy: options.unixSocket ? undefined : options.proxyFor?.(url),
        // Bun's fetch obeys two variables that are not hydractl's to obey. Node's
        // NODE_TLS_REJECT_UNAUTHORIZED=0 would turn the certificate check off without a word,
        // for the admin token and a PGP key alike (--skip-tls-verify is the one way), and
        // BUN_CONFIG_VERBOSE_FETCH=curl prints every request with its Authorization header
        // and body, secrets and all (--dry-run shows requests with them left out). Where one
        // is set, the request says otherwise; only there, so the usual start builds nothing more.
        tls: options.insecure
          ? { rejectUnauthorized: false }
          : ca
            ? { rejectUnauthorized: true, ca }
            : process.env.NODE_TLS_REJECT_UNAUTHORIZED === undefined
              ? undefined
              : { rejectUnauthorized: true },
        verbose: process.env.BUN_CONFIG_VERBOSE_FETCH === undefined ? undefined : false,
      } as RequestInit);
    // A refused certificate is asked about again below, with the body the first try used up.
    const spare = url.protocol === "https:" && !options.insecure && input instanceof Request && input.body ? input.clone() : undefined;
    let failure: FetchFailure;
    try {
      return await send(input);
    } catch (error) {
      // An abort is the caller's own doing; its reason says why.
      if (signal?.aborted) throw error;
      failure = fromNodeError(error);
    }
    if (options.insecure || !untrustedIssuer(failure)) throw failure;
    const ca = await systemAuthorities();
    if (!ca) throw failure;
    try {
      return await send(spare ?? input, ca);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw fromNodeError(error);
    }
  };
}

/**
 * The certificate authorities this system trusts, as Go (so Hydra's CLI) and curl read them:
 * SSL_CERT_FILE or the first bundle file found, the files of each SSL_CERT_DIR folder, and
 * NODE_EXTRA_CA_CERTS. Bun trusts its own Mozilla roots, /etc/ssl/cert.pem and OpenSSL's
 * hashed links instead, so a private CA in Debian's or RHEL's bundle file (appended to it, or
 * put there by update-ca-trust) was refused where `hydra` and curl take it. Read only once a
 * certificate's issuer has been refused, and then once: loading the 150 or so certificates
 * of a bundle costs a TLS request 8 ms, which every other start would pay.
 */
let authorities: Promise<string[] | undefined> | undefined;
function systemAuthorities(): Promise<string[] | undefined> {
  authorities ??= (async () => {
    const { readdir, readFile } = await import("node:fs/promises");
    const text = (path: string) => readFile(path, "utf8").catch(() => "");
    const found: string[] = [];
    const file = process.env.SSL_CERT_FILE;
    // Where Linux distributions keep their CA bundle, in the order Go looks (crypto/x509/root_linux.go).
    const bundles = [
      "/etc/ssl/certs/ca-certificates.crt",
      "/etc/pki/tls/certs/ca-bundle.crt",
      "/etc/ssl/ca-bundle.pem",
      "/etc/pki/tls/cacert.pem",
      "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
      "/etc/ssl/cert.pem",
    ];
    for (const path of file ? [file] : bundles) {
      const pem = await text(path);
      if (!pem) continue;
      found.push(pem);
      break;
    }
    for (const folder of process.env.SSL_CERT_DIR?.split(":") ?? []) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names.sort()) found.push(await text(`${folder}/${name}`));
    }
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    if (extra) found.push(await text(extra));
    const pems = found.filter((pem) => pem.includes("-----BEGIN CERTIFICATE-----"));
    return pems.length ? pems : undefined;
  })();
  return authorities;
}


/**
 * A device's bytes, bounded. Bun's own stream of a file polls it, which a device such as
 * /dev/null refuses (EPERM from epoll_ctl); node:fs reads it, and loads only for this.
 */
async function readDevice(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const { open } = await import("node:fs/promises");
  const handle = await open(path);
  try {
    // node:stream/web's type of the same web stream the global one describes.
    const stream = handle.readableWebStream() as unknown as ReadableStream<Uint8Array>;
    return await readAtMost(stream, maxBytes);
  } finally {
    await handle.close();
  }
}

/**
 * Writes to stdout or stderr. A regular file is not left to Bun.write: for more than a KiB
 * it first calls fallocate(fd, 0, 0, length), which fills a file opened for appending
 * (`>> clients.json`, `2>> hydractl.log`) with NUL bytes up to that length, and the text
 * is appended after them (oven-sh/bun#41685). A FileSink writes with write(2), which
 * appends where the shell asked. Only a regular file gets one: a FileSink sets O_NONBLOCK
 * on the descriptor, which a pipe or a terminal shares with other processes (the shell's
 * next command would meet EAGAIN there), and which a file ignores.
 */
function writerTo(name: "stdout" | "stderr"): (text: string) => Promise<void> {
  let sink: FileSink | null | undefined;
  return async (text) => {
    const stream = Bun[name];
    // A pipe's or a device's size is infinite; a regular file's is what it holds so far.
    // Decided at the first write (null: not a file), not again at every one.
    if (sink === undefined) sink = Number.isFinite(stream.size) ? stream.writer() : null;
    if (!sink) return void (await Bun.write(stream, text));
    await sink.write(text);
    await sink.flush();
  };
}

async function openBrowser(url: string): Promise<boolean> {
  try {
    const child = Bun.spawn([...browserCommand(process.platform), url], {
      env: { ...process.env, ...proxyVariables },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    });
    // xdg-open and friends return at once; a launcher that hangs must not hold the command.
    const code = await Promise.race([child.exited, Bun.sleep(3000).then(() => 0)]);
    return code === 0;
  } catch {
    return false;
  }
}

async function stty(args: string[]): Promise<string | undefined> {
  try {
    const child = Bun.spawn(["stty", ...args], { stdin: "inherit", stdout: "pipe", stderr: "ignore" });
    const [printed, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    return code === 0 ? printed : undefined;
  } catch {
    // No stty on this system.
    return undefined;
  }
}

/**
 * A file's bytes; undefined when there is none. exists() first: most reads are of an absent
 * ~/.hydra.yaml, and a thrown ENOENT costs 4-10 ms and a MiB. It is false for a folder and
 * for a device too; the size tells them from a missing file's 0. A device's (/dev/null, a
 * terminal) is infinite: it is read. A folder's is its own on most file systems (not an
 * empty one's on btrfs): it is an error, as on Deno, rather than a file that is not there.
 */
async function fileBytes(path: string, maxBytes: number | undefined): Promise<Uint8Array | undefined> {
  const file = Bun.file(path);
  const size = file.size;
  const found = await file.exists();
  if (!found && size > 0 && Number.isFinite(size)) throw notAFile(path);
  if (!found && Number.isFinite(size)) return undefined;
  // Pipes (a shell's <(…)) and devices have no finite size: nothing but a limit bounds them.
  if (!Number.isFinite(size)) {
    const bytes = found ? await readAtMost(file.stream(), maxBytes ?? MAX_STREAM_BYTES) : await readDevice(path, maxBytes ?? MAX_STREAM_BYTES);
    if (!bytes) throw tooLarge(path, maxBytes);
    return bytes;
  }
  if (maxBytes !== undefined && size > maxBytes) throw tooLarge(path, maxBytes);
  // A regular file is mapped and copied at once: Bun's asynchronous read starts its I/O
  // thread pool, 3.5 ms and 2.6 MiB of a start for a kilobyte of config or certificate.
  // Bun maps no file on Windows.
  if (size > 0 && process.platform !== "win32") {
    try {
      return new Uint8Array(Bun.mmap(path));
    } catch {
      // Not mappable after all (a file that shrank to nothing): read like the others.
    }
  }
  return new Uint8Array(await file.arrayBuffer());
}

export const bunRuntime: Runtime = {
  name: "bun",
  args: () => process.argv.slice(2),
  // A compiled binary's script is in Bun's embedded file system; from the sources, argv0 is bun.
  invokedAs: () => (process.argv[1]?.startsWith("/$bunfs/") || process.argv[1]?.includes("~BUN") ? programName(process.argv0) : undefined),
  env: (name) => (proxyVariables !== undefined && name in proxyVariables ? proxyVariables[name] : process.env[name]),
  // As on Deno: node:os (for homedir()) costs every start a millisecond and a MiB of memory.
  homeDir: () => process.env.HOME || process.env.USERPROFILE || undefined,
  cacheDir: () => userCacheDir(process.platform, (name) => process.env[name], bunRuntime.homeDir()),
  async readFile(path, maxBytes) {
    try {
      return await fileBytes(path, maxBytes);
    } catch (error) {
      throw unreadable(path, error);
    }
  },
  // node:fs loads only here, on the way to an error message.
  async absence(path) {
    const found = await (await import("node:fs/promises")).stat(path).catch((error: { code?: string }) => error.code);
    return typeof found === "object" && found.isDirectory() ? "directory" : found === "EACCES" ? "denied" : "missing";
  },
  // node:fs costs 2-3 MiB and milliseconds to load: only for writing a new certificate.
  writePrivateFile: async (path, text) => (await import("./files.ts")).writePrivateFile(path, text),
  keepPrivate: async (path) => (await import("./private.ts")).keepPrivate(path, bunRuntime.fileMode),
  // Bun's own stat: node:fs would cost every --https start its load.
  fileMode: async (path) => (process.platform === "win32" ? undefined : (await Bun.file(path).stat()).mode),
  stdin: () => stdinStream(() => Bun.stdin.stream()),
  writeStdout: ordered(writerTo("stdout"), outputFailure),
  writeStderr: ordered(writerTo("stderr")),
  isTerminal: (stream) => Boolean(process[stream].isTTY),
  hideTyping: () => hideTyping(stty),
  onInterrupt(callback) {
    // One listener a signal, written out: perform's start runs this before its first
    // handshake, and a built-in such as `map` is compiled at its first call (src/chars.ts).
    const onInt = () => callback("SIGINT");
    const onTerm = () => callback("SIGTERM");
    // The terminal was closed, or the SSH connection dropped (Windows has no such signal).
    const onHup = () => callback("SIGHUP");
    const hangs = process.platform !== "win32";
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    if (hangs) process.on("SIGHUP", onHup);
    return () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      if (hangs) process.off("SIGHUP", onHup);
    };
  },
  exit: (code) => process.exit(code),
  serve,
  openBrowser,
  createFetch,
};
