// The ground floor: every layer may throw these, and only src/main.ts turns them into
// stderr text and an exit code. Messages are written for the user and name the flag,
// file or server at fault; `cause` keeps the underlying error for --debug.

import { elideLongWords, escapeControls } from "./chars.ts";

/** The command worked. */
export const EXIT_OK = 0;
/** Something failed while running: the network, the server, the flow. */
export const EXIT_FAILURE = 1;
/** The command line or the config file is wrong; nothing was done. */
export const EXIT_USAGE = 2;
/** Ctrl+C ended the command first: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** The signals that end a run, each after its clean-up: Ctrl+C, `kill`, a closed terminal. */
export type InterruptSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

const SIGNAL_NUMBERS: Record<InterruptSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * The exit code of a run `signal` ended: 128 + its number, as a shell reports a program the
 * signal killed (143 for SIGTERM, 129 for SIGHUP), so that a supervisor or CI job can tell
 * a stop it asked for from a Ctrl+C. Anything else (an abort of our own) counts as Ctrl+C.
 */
export function interruptedExitCode(signal: unknown): number {
  return typeof signal === "string" && Object.hasOwn(SIGNAL_NUMBERS, signal) ? 128 + SIGNAL_NUMBERS[signal as InterruptSignal] : EXIT_INTERRUPTED;
}

export class HydractlError extends Error {
  // Each error class names itself: the binary's minified class names (`w`, `te`) would
  // otherwise head the stack traces that HYDRACTL_DEBUG=1 prints for a bug report.
  override name = "HydractlError";
  /** A stable, machine-readable code such as `E_USAGE`. */
  readonly code: string;
  readonly exitCode: number;

  constructor(message: string, code: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A flag, argument or value on the command line is wrong. Usage is shown with it. */
export class UsageError extends HydractlError {
  override name = "UsageError";
  /**
   * The command path whose usage explains the mistake, e.g. ["clients", "create"]; when
   * unset, the command that was running.
   */
  commandPath?: string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_USAGE", EXIT_USAGE, options);
  }
}

/** The config file, or a value taken from it or from the environment, is wrong. */
export class ConfigError extends HydractlError {
  override name = "ConfigError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_CONFIG", EXIT_USAGE, options);
  }
}

/** Input that is not a flag is unusable: a key, a file, a URL's content. */
export class InputError extends HydractlError {
  override name = "InputError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_INPUT", EXIT_FAILURE, options);
  }
}

/** The code of the NetworkError for a port another program holds. */
export const ADDRESS_IN_USE = "E_ADDRINUSE";
/** A request whose answer did not come within its time limit. */
export const TIMED_OUT = "E_TIMEOUT";
/** The code of the NetworkError for a TLS handshake that failed (a certificate not trusted, say). */
export const TLS_FAILED = "E_TLS";

/** The server could not be reached, or the connection failed (DNS, TLS, timeout, socket). */
export class NetworkError extends HydractlError {
  override name = "NetworkError";
  constructor(message: string, code = "E_NETWORK", options?: { cause?: unknown }) {
    super(message, code, EXIT_FAILURE, options);
  }
}

/** The server answered, but with an error status or a body we cannot use. */
export class ApiError extends HydractlError {
  override name = "ApiError";
  readonly status: number;

  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, status === 0 ? "E_RESPONSE" : `E_HTTP_${status}`, EXIT_FAILURE, options);
    this.status = status;
  }
}

/** An OAuth 2.0 / OpenID Connect flow failed: denied, state mismatch, bad ID token… */
export class FlowError extends HydractlError {
  override name = "FlowError";
  constructor(message: string, code = "E_FLOW", options?: { cause?: unknown }) {
    super(message, code, EXIT_FAILURE, options);
  }
}

/**
 * A check before a flow found one thing wrong or more: said under a heading, a line each,
 * the only error that takes several lines (errorLine).
 */
export class FindingsError extends FlowError {
  override name = "FindingsError";
  readonly heading: string;
  readonly findings: readonly string[];

  constructor(heading: string, findings: readonly string[], code: string) {
    super(`${heading}:\n${findings.join("\n")}`, code);
    this.heading = heading;
    this.findings = findings;
  }
}

/**
 * Ctrl+C ended the command before it finished, after it put right what it could (a client
 * made for the run deleted, the requests under way answered); the message says what was
 * and was not done.
 */
export class InterruptedError extends HydractlError {
  override name = "InterruptedError";
  /** `signal`: the one that ended the run (an AbortSignal's reason may carry it), for the exit code. */
  constructor(message: string, options?: { cause?: unknown; signal?: unknown }) {
    super(message, "E_INTERRUPTED", interruptedExitCode(options?.signal), options);
  }
}

/** A command over several items did part of its work; each failure was reported on its own line. */
export class PartialFailureError extends HydractlError {
  override name = "PartialFailureError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_PARTIAL", EXIT_FAILURE, options);
  }
}

/**
 * The output could not be written: a full disk, a closed pipe. Nothing more is written
 * after the first failure: output with a hole in it is worse than output cut short.
 */
export class OutputError extends HydractlError {
  override name = "OutputError";
  /** Why, in a few words ("no space left on device"), for a command that says what it did. */
  readonly reason: string;
  /**
   * The reader closed the pipe, having all it wanted (`| head`): nothing is said. A command
   * that loses something with the rest of its output says so in an OutputError of its own.
   */
  readonly quiet: boolean;

  constructor(message: string, reason: string, options?: { cause?: unknown; quiet?: boolean }) {
    super(message, "E_OUTPUT", EXIT_FAILURE, options);
    this.reason = reason;
    this.quiet = options?.quiet ?? false;
  }
}

/**
 * The OutputError that making or writing `output` failed with, or undefined once it is
 * written; any other failure is thrown. For commands that go on, or say what they did, when
 * output fails. A `--format` path that matches nothing in the answer is such a failure: it is
 * known only once the work is done, so it is no usage error (exit 2 says nothing was done).
 * So is an answer that cannot be shown in the format (nested too deeply to be written).
 */
export async function outputFailureOf(output: Promise<void> | undefined): Promise<OutputError | undefined> {
  try {
    await output;
    return undefined;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) return new OutputError(error.message, error.message, { cause: error });
    if (!(error instanceof OutputError)) throw error;
    return error;
  }
}

/**
 * What went wrong with the output, for a message that goes on to say what was done. A
 * `--format` path that matched nothing, or an answer the format cannot hold, is said as
 * itself: no output was lost on its way.
 */
export function outputTrouble(failure: OutputError): string {
  return failure.cause instanceof UsageError || failure.cause instanceof InputError ? failure.reason : `the output could not be written (${failure.reason})`;
}

/** The secrets this run sends (see hideInErrors). */
const secrets = new Set<string>();

/**
 * A secret this run sends (the admin token, a client secret, a token to inspect): no error
 * line shows it, should a server quote the request back in its answer.
 */
export function hideInErrors(secret: string | undefined, basicUser?: string): void {
  if (!secret) return;
  secrets.add(secret);
  // As a request carries it: in a URL or a form (`a%2Fb`, `a+b`; Go's QueryEscape leaves
  // -_.~ as they are), and as oauth4webapi encodes it for client_secret_basic, which escapes
  // those too (a server that decodes the Basic header may quote it so).
  const uri = encodeURIComponent(secret);
  secrets.add(uri);
  secrets.add(new URLSearchParams([["", secret]]).toString().slice(1));
  const escape = (text: string, chars: string) => {
    for (const char of chars) text = text.replaceAll(char, `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
    return text;
  };
  const form = escape(uri.replaceAll("%20", "+"), "!*'()");
  secrets.add(form);
  const basic = escape(form, "-_.~");
  secrets.add(basic);
  // The Basic header's credentials as sent, should a server quote them without the word Basic.
  if (basicUser !== undefined) secrets.add(btoa(`${escape(encodeURIComponent(basicUser).replaceAll("%20", "+"), "!*'()-_.~")}:${basic}`));
  // As a JSON answer quotes it: escaped, and by Go's encoder with & < > as \u0026 and so on.
  // Without a regular expression: every command with a secret runs this, and the engine
  // compiles one at its first use (16 page faults and 0.8 MiB on introspect token).
  const json = JSON.stringify(secret).slice(1, -1);
  secrets.add(json);
  const markup = json.includes("&") || json.includes("<") || json.includes(">");
  if (markup) secrets.add(json.replaceAll("&", "\\u0026").replaceAll("<", "\\u003c").replaceAll(">", "\\u003e"));
  // As an HTML error page quotes it (a proxy's, a login app's): escaped as Go's html package
  // and as most others escape quotes.
  if (markup || secret.includes('"') || secret.includes("'")) {
    const html = secret.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    secrets.add(html.replaceAll('"', "&#34;").replaceAll("'", "&#39;"));
    secrets.add(html.replaceAll('"', "&quot;").replaceAll("'", "&#x27;"));
  }
}

/**
 * Credentials whatever their value: a server that quotes the request back shows the
 * Authorization header (`Basic …` holds the client secret) or a signed client assertion.
 */
const CREDENTIALS = /\b(Basic|Bearer) [A-Za-z0-9._~+/-]+=*|\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

/**
 * Word characters: a short secret is hidden where it stands whole, not inside a word ("adm"
 * in "admin"); one of LONG_SECRET characters or more is hidden wherever it stands, since a
 * server may glue anything to it.
 */
const WORD_CHAR = /[A-Za-z0-9_-]/;
const LONG_SECRET = 8;

/**
 * `text` with every secret this run sends, and any credential, hidden: for what an error
 * quotes. `short: false` leaves a short secret's whole words be: in hydractl's own words (a
 * notice), `--secret secret` would hide "the secret you chose".
 */
export function withoutSecrets(text: string, { short = true }: { short?: boolean } = {}): string {
  text = text.replace(CREDENTIALS, (found, scheme?: string) => (scheme ? `${scheme} [secret]` : "[secret]"));
  // A URL's password (`http://admin:pw@host`, sent as Basic authentication), however the
  // URL came to be quoted: as written in a flag, a variable or a config file, or as shown.
  text = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]+@/gi, "$1:[secret]@");
  for (const secret of secrets) {
    if (!short && secret.length < LONG_SECRET) continue;
    let at = text.indexOf(secret);
    while (at >= 0) {
      const end = at + secret.length;
      const whole = secret.length >= LONG_SECRET || (!WORD_CHAR.test(text[at - 1] ?? " ") && !WORD_CHAR.test(text[end] ?? " "));
      if (whole) text = `${text.slice(0, at)}[secret]${text.slice(end)}`;
      at = text.indexOf(secret, whole ? at + "[secret]".length : at + 1);
    }
  }
  return text;
}

/**
 * A notice or warning as stderr shows it: one line, whatever a server's value it quotes
 * holds, without the secrets the run sends (long ones and URL passwords: see withoutSecrets).
 */
export function noticeLine(message: string): string {
  return `${escapeControls(withoutSecrets(message, { short: false }))}\n`;
}

/** The one line a failure is shown as, on its own or as one item of a bulk command. */
export function errorLine(error: unknown): string {
  // A message may quote a server (an error's description, a client's ID), or an argument of
  // any length. It is said on one line, whatever a value it quotes holds (a line break in an
  // ID or a variable): only a list of findings takes several, a line each, each as escaped.
  const line = (text: string) => elideLongWords(escapeControls(text));
  if (error instanceof FindingsError) {
    return `Error: ${line(withoutSecrets(error.heading))}:\n${error.findings.map((finding) => line(withoutSecrets(finding))).join("\n")}`;
  }
  return `Error: ${line(errorMessage(error))}`;
}

/**
 * What an error says, with this run's secrets hidden (a server may quote the request back):
 * for errorLine, and for what shows an error in a line or a page of its own.
 */
export function errorMessage(error: unknown): string {
  return withoutSecrets(error instanceof HydractlError ? error.message : `unexpected failure: ${(error as Error)?.message ?? String(error)}`);
}

/**
 * A request that changes state failed once it may have reached the server, or took effect
 * and its answer was lost: sending it again could do it twice, so it was not. The command
 * adds what it knows (an ID) and how to check.
 */
export class UncertainOutcomeError extends HydractlError {
  override name = "UncertainOutcomeError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "E_UNCERTAIN_OUTCOME", EXIT_FAILURE, options);
  }
}

/** One request a dry run showed instead of sending: a shell command line, and notes about it. */
export interface ShownRequest {
  command: string;
  notes: readonly string[];
}

/**
 * Not a failure: a dry run showed these requests instead of sending them, and the command
 * stopped where it would have needed an answer. src/main.ts prints them and exits 0.
 */
export class DryRunStop extends Error {
  override name = "DryRunStop";
  readonly shown: readonly ShownRequest[];

  constructor(shown: readonly ShownRequest[]) {
    super("dry run: the requests were shown, not sent");
    this.shown = shown;
  }

  /** The same stop, its last request with one more note. */
  noted(note: string): DryRunStop {
    const last = this.shown.at(-1)!;
    return new DryRunStop([...this.shown.slice(0, -1), { ...last, notes: [...last.notes, note] }]);
  }

  /** What the user sees: each command line, its notes as shell comments after it. */
  text(): string {
    return this.shown.map(({ command, notes }) => [command, ...notes.map((note) => `# ${note}`)].join("\n")).join("\n").concat("\n");
  }
}
