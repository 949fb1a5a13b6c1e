// What a runtime's fetch throws when a request fails below HTTP differs by runtime (Bun:
// Node-style codes; Deno: hyper's messages; node:https on Deno: Node codes again). Each
// runtime reduces its own errors to a FetchFailure, so the transport can say what happened
// and the retry logic can tell whether the request can have reached the server.

import { MAX_STREAM_BYTES } from "../bytes.ts";
import { InputError, OutputError } from "../errors.ts";
import type { Absence } from "./types.ts";

export type FailureKind =
  /** Nothing listens there (or the unix socket does not exist). */
  | "refused"
  /** The host name does not resolve. */
  | "name"
  /** The TLS handshake failed: certificate, host name, protocol. */
  | "tls"
  /** An https:// URL reached a server that answers in plain HTTP. */
  | "not-tls"
  /** The connection was reset or closed before a complete answer arrived. */
  | "closed"
  /** The server answered with something that is not HTTP (a Content-Length that is no number…). */
  | "malformed"
  /**
   * The server answered the request, but with a status no final answer has (199, 999): it
   * may have acted on it, and asking again would get the same.
   */
  | "status"
  /**
   * The runtime will not send it at all (Deno: a port the Fetch standard blocks, or no
   * certificate checks through a proxy), or the system will not connect (a unix socket not
   * this user's): waiting mends neither.
   */
  | "blocked"
  | "other";

export class FetchFailure extends Error {
  override name = "FetchFailure";
  readonly kind: FailureKind;
  /**
   * True only when the request provably never left: the connection was never established.
   * A reset after connecting may come before or after the server read the request; the
   * client cannot tell, so it counts as sent.
   */
  readonly unsent: boolean;

  constructor(kind: FailureKind, unsent: boolean, message: string, options: { cause: unknown }) {
    super(message, options);
    this.kind = kind;
    this.unsent = unsent;
  }
}

const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

/**
 * Node-style errors, as Bun's fetch and node:https throw them (probed on Bun 1.3 and
 * Deno 2.5: ECONNREFUSED, ENOTFOUND, ECONNRESET, EPROTO, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * ERR_SSL_WRONG_VERSION_NUMBER, ENOENT for a missing unix socket).
 */
export function fromNodeError(error: unknown): FetchFailure {
  const { code = "", message = "" } = error as { code?: unknown; message?: string };
  const text = String(code);
  const reason = plainReason(message.split("\n")[0]!.trim());
  const failure = (kind: FailureKind, unsent: boolean) => new FetchFailure(kind, unsent, reason, { cause: error });
  if (text === "ECONNREFUSED" || text === "ENOENT" || text === "ConnectionRefused") return failure("refused", true);
  // The connection could not be made, so nothing was sent, said in the system's words
  // (CODE_WORDS) instead of Bun's advice ("Was there a typo in the url or port?"): one that
  // waiting cannot mend is "blocked" (not retried), one the network may yet mend is not.
  if (text === "EACCES" || text === "EPERM" || text === "ENOTDIR" || text === "ENOTSOCK") return new FetchFailure("blocked", true, CODE_WORDS[text]!, { cause: error });
  // Out of file descriptors (EMFILE: this process's; ENFILE: the system's): no socket was
  // made, and one may be once others close.
  if (text === "EHOSTUNREACH" || text === "ENETUNREACH" || text === "EMFILE" || text === "ENFILE") return new FetchFailure("other", true, CODE_WORDS[text]!, { cause: error });
  if (text === "ENOTFOUND" || text.startsWith("EAI_")) return failure("name", true);
  // Bun's EPROTO reads "The TLS handshake failed. Does the server speak TLS on this port?".
  if (text === "EPROTO" || text === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/i.test(message)) return failure("not-tls", true);
  // By its code: Bun's message for an untrusted issuer ("unable to verify the first
  // certificate") is not what Deno says of it (CERTIFICATE).
  if (CERTIFICATE_CODE.test(text) || /certificate/i.test(message)) return new FetchFailure("tls", true, CODE_WORDS[text] ?? reason, { cause: error });
  if (/before secure TLS connection was established/.test(message)) return failure("closed", true);
  if (text === "ECONNRESET" || text === "ERR_SOCKET_CLOSED" || text === "EPIPE") return failure("closed", false);
  if (/^(Invalid|Malformed|Unexpected)[A-Za-z_]*$/.test(text)) return failure("malformed", false);
  return failure("other", false);
}

/** A refused certificate in words, the same whichever runtime's TLS library refused it. */
export const CERTIFICATE = {
  otherHost: "the certificate does not name this host",
  expired: "the certificate has expired",
  notYetValid: "the certificate is not valid yet",
  selfSigned: "self signed certificate",
  untrustedIssuer: "the certificate's issuer is not trusted",
} as const;

/** Whether the certificate was refused for its issuer, or as self-signed: what another store of trusted CAs could change. */
export function untrustedIssuer(failure: FetchFailure): boolean {
  return failure.kind === "tls" && (failure.message === CERTIFICATE.untrustedIssuer || failure.message.startsWith(CERTIFICATE.selfSigned));
}

/**
 * What Bun's bare codes mean, in words (its message is the code and a hint about `verbose`,
 * or for a connection not made, the code and advice). Deno's failures of the same kind are
 * said in the same words (src/runtime/deno.ts).
 */
export const CODE_WORDS: Record<string, string> = {
  EACCES: "permission denied (is the unix socket this user's to write to?)",
  EPERM: "the system does not permit the connection",
  ENOTDIR: "a part of the socket's path is not a folder (a / after the socket's name?)",
  ENOTSOCK: "the path is not a socket",
  EHOSTUNREACH: "no route to the host",
  ENETUNREACH: "the network is unreachable",
  EMFILE: "too many open files (this process's limit, ulimit -n, is reached)",
  ENFILE: "too many open files on this system",
  ERR_TLS_CERT_ALTNAME_INVALID: CERTIFICATE.otherHost,
  CERT_HAS_EXPIRED: CERTIFICATE.expired,
  CERT_NOT_YET_VALID: CERTIFICATE.notYetValid,
  DEPTH_ZERO_SELF_SIGNED_CERT: CERTIFICATE.selfSigned,
  SELF_SIGNED_CERT_IN_CHAIN: `${CERTIFICATE.selfSigned} in the chain`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: CERTIFICATE.untrustedIssuer,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: CERTIFICATE.untrustedIssuer,
  InvalidContentLength: "its Content-Length is not a number",
  InvalidHTTPResponse: "its status line or headers are not HTTP",
  Malformed_HTTP_Response: "its status line or headers are not HTTP",
};

/**
 * Bun's message without its advice to the programmer (`… fetching "URL". For more
 * information, pass \`verbose: true\` in the second argument to fetch()`), a bare code in words.
 */
function plainReason(message: string): string {
  const cut = message.indexOf(" fetching \"");
  const reason = cut > 0 ? message.slice(0, cut) : message;
  return CODE_WORDS[reason] ?? reason;
}

/**
 * Standard input whose failures are said in hydractl's words: `< /etc` gives a directory,
 * which Bun reports as "EISDIR: illegal operation on a directory, fstat" and Deno as
 * "Is a directory (os error 21)".
 */
export function stdinStream(source: () => ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        reader ??= source().getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        const { code, message = "" } = error as { code?: unknown; message?: string };
        controller.error(code === "EISDIR" || message.includes("os error 21") ? new InputError("stdin is a directory, not a file or a pipe") : error);
      }
    },
    cancel: (reason) => reader?.cancel(reason),
  });
}

/** Why a path that read as absent is (Runtime.absence), in words. */
export function absentWords(absence: Absence): string {
  return absence === "directory" ? "is a directory, not a file" : absence === "denied" ? "cannot be read: permission denied" : "does not exist";
}

/** `readFile` on a directory: both runtimes' own words ("does not exist", "os error 21") mislead. */
export function notAFile(path: string): InputError {
  return new InputError(`${path} is a directory, not a file`);
}

/**
 * A file the user may not read, said as the other file problems are, for the caller to put
 * after what the file is ("the key file …"); anything else as it was thrown. Both runtimes
 * give Node's codes (Bun "EACCES", Deno too, with its own message).
 */
export function unreadable(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === "EACCES" || code === "EPERM" ? new InputError(`${path} cannot be read: permission denied`, { cause: error }) : error;
}

/** A file beyond what its reader takes (`maxBytes`), or a pipe or device beyond MAX_STREAM_BYTES. */
export function tooLarge(path: string, maxBytes: number | undefined): InputError {
  if (maxBytes !== undefined) return new InputError(`${path} holds more than ${maxBytes / 1024 / 1024} MiB`);
  return new InputError(`${path} is not a regular file and holds more than ${MAX_STREAM_BYTES / 1024 / 1024} MiB`);
}

/**
 * A failed write to stdout, as both runtimes report it (Node's codes: ENOSPC for a full
 * disk, EPIPE for a pipe whose reader is gone, EFBIG past a file size limit, EIO…). Deno
 * gives EFBIG no code, only the system's words and number ("File too large (os error 27)").
 */
export function outputFailure(error: unknown): OutputError {
  const { code = "", message = String(error) } = error as { code?: unknown; message?: string };
  const tooLarge = code === "EFBIG" || message.endsWith("(os error 27)");
  const reason =
    code === "EPIPE"
      ? "the reader closed the pipe"
      : code === "ENOSPC"
        ? "no space left on device"
        : tooLarge
          ? "the file reached its size limit"
          : message.split("\n")[0]!.trim();
  return new OutputError(`cannot write the output: ${reason}`, reason, { cause: error, quiet: code === "EPIPE" });
}
