// The only door to what web standards do not cover. The rest of hydractl speaks
// Request/Response, fetch, URL and WebCrypto, and asks a Runtime for everything else.

import type { InterruptSignal } from "../errors.ts";

/** Why a path read as absent (Runtime.absence). */
export type Absence = "directory" | "denied" | "missing";

export type Handler = (request: Request) => Response | Promise<Response>;

export interface ServeOptions {
  /** Interface to bind; hydractl only ever passes a loopback address. */
  hostname: string;
  /** 0 picks any free port. */
  port: number;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string; key: string };
  /** Should it throw, the client gets a bare 500 and nothing is printed. */
  handler: Handler;
}

export interface Server {
  /** The port actually bound (differs from the asked one when it was 0). */
  readonly port: number;
  /** Stops listening; in-flight responses are allowed to finish. */
  close(): Promise<void>;
}

/** What web-standard fetch cannot express. */
export interface TransportOptions {
  /** Send every request over this unix socket instead of TCP. */
  unixSocket?: string;
  /** Accept any TLS certificate (`--skip-tls-verify`). */
  insecure?: boolean;
  /** Chooses the proxy for a URL, or undefined to connect directly. */
  proxyFor?: (url: URL) => string | undefined;
}

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export interface Runtime {
  readonly name: "bun" | "deno";
  /** Command-line arguments after the program name. */
  args(): string[];
  /**
   * The name the program was run by (`hydra`, for a binary installed or linked under
   * Hydra's name), or undefined when it runs from the sources.
   */
  invokedAs(): string | undefined;
  env(name: string): string | undefined;
  homeDir(): string | undefined;
  /**
   * Where this user's caches go (XDG_CACHE_HOME or ~/.cache, ~/Library/Caches on macOS,
   * %LOCALAPPDATA% on Windows), which may not exist yet; undefined without a home directory.
   */
  cacheDir(): string | undefined;
  /**
   * Reads a file; resolves to undefined when there is no file to read. A directory rejects
   * with an InputError, but for one Bun sizes at 0 (an empty one on btrfs), which reads as
   * absent: `isDirectory` tells that from a missing file.
   * A pipe is read up to MAX_STREAM_BYTES (src/bytes.ts), beyond which it rejects with an InputError.
   */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array | undefined>;
  /**
   * Only for a path that read as absent, to say why: a folder, a folder on the way that this
   * user may not open (a file there reads as absent too), or nothing. Off the start-up path.
   */
  absence(path: string): Promise<Absence>;
  /**
   * Replaces `path` with `text` in one step (a reader sees the old or the new file, never
   * half of one), readable by the user only (0600), creating missing folders (0700).
   */
  writePrivateFile(path: string, text: string): Promise<void>;
  /**
   * Makes a file writePrivateFile wrote private again (0600, its folder 0700) if its modes
   * have been loosened since. Resolves to the modes it found when it changed them; undefined
   * when they were private, or on Windows, which has no modes.
   */
  keepPrivate(path: string): Promise<{ file: number; folder: number } | undefined>;
  /** A file's permission bits (`0o644`); undefined on Windows, which has none. */
  fileMode(path: string): Promise<number | undefined>;
  /** Standard input as it arrives: read whole with a bound (src/cli/context.ts) or a line at a time (src/runtime/lines.ts). */
  stdin(): ReadableStream<Uint8Array>;
  /** Rejects with an OutputError (src/errors.ts) when it fails, as every later write then does. */
  writeStdout(text: string): Promise<void>;
  /** Never rejects: a failed write to stderr leaves nowhere to say so. */
  writeStderr(text: string): Promise<void>;
  isTerminal(stream: "stdout" | "stderr" | "stdin"): boolean;
  /**
   * Stops the terminal that is stdin from showing what is typed, for a secret typed there
   * (src/runtime/terminal.ts). Resolves to what shows it again, or undefined when that
   * cannot be done: then the typing shows.
   */
  hideTyping(): Promise<(() => Promise<void>) | undefined>;
  /**
   * Runs `callback` with the signal, on Ctrl+C, SIGTERM or SIGHUP (a closed terminal), instead
   * of dying mid-write, until the returned function is called.
   */
  onInterrupt(callback: (signal: InterruptSignal) => void): () => void;
  exit(code: number): never;
  serve(options: ServeOptions): Promise<Server>;
  /** Opens the system browser; resolves false (never throws) when none could be started. */
  openBrowser(url: string): Promise<boolean>;
  /** A fetch bound to transport options that web-standard fetch lacks. */
  createFetch(options: TransportOptions): Fetch;
}
