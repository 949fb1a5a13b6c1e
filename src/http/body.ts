import { decodeBase64 } from "../base64.ts";
import { readAtMost } from "../bytes.ts";
import { isDigits } from "../chars.ts";
import { ApiError, hideInErrors, withoutSecrets } from "../errors.ts";

/**
 * No answer hydractl expects comes near this (a page of 500 clients with large metadata
 * does not); a larger one is a misconfigured endpoint, or a server that never stops.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The body's length as the server declared it; NaN when it did not (a chunked body). */
export function declaredLength(response: Response): number {
  const declared = response.headers.get("content-length");
  return declared !== null && isDigits(declared) ? Number(declared) : Number.NaN;
}

/** Reads a body, refusing to buffer more than `limit` bytes. */
export async function readBytes(response: Response, what: string, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = declaredLength(response);
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge(what, limit);
  }
  // A declared length bounds the body (HTTP framing), and the runtime's own reading is faster to start than a stream's.
  if (declared <= limit) return new Uint8Array(await response.arrayBuffer());
  if (!response.body) return new Uint8Array();
  const bytes = await readAtMost(response.body, limit);
  if (!bytes) throw tooLarge(what, limit);
  return bytes;
}

/** Reads a body as text, refusing to buffer more than `limit` bytes. */
export async function readText(response: Response, what: string, limit = MAX_BODY_BYTES): Promise<string> {
  // A length within the limit: the runtime's own decoder (the same UTF-8 decoding), which
  // spares every command loading TextDecoder.
  if (declaredLength(response) <= limit) return await response.text();
  return decodeUtf8(await readBytes(response, what, limit));
}

/**
 * Apart from readText, which every request runs: only a body of unknown length needs
 * TextDecoder (see FormPayload in api.ts).
 */
function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

function tooLarge(what: string, limit: number): ApiError {
  return new ApiError(`${what}: the answer is larger than ${limit / 1024 / 1024} MiB, more than hydractl reads; is the URL right?`, 0);
}

/** Reads a JSON body; anything else (an HTML login page, a proxy's error) is a clear error. */
export async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await readText(response, what);
  try {
    return parseJson(text);
  } catch (error) {
    const type = response.headers.get("content-type") ?? "no content type";
    throw new ApiError(`${what} answered ${response.status} with a body that is not JSON (${type}): ${excerpt(text)}`, 0, {
      cause: error,
    });
  }
}

/**
 * Takes an answer that says done with nothing: Hydra's 204, or a 200 with no body (a proxy
 * may turn one into the other). A 200 with something in it (a login page, a gateway's
 * catch-all) is not Hydra's: taken for done, it would say a deletion happened that did not.
 */
export async function readNothing(response: Response, what: string): Promise<void> {
  if (response.status === 204) {
    await response.body?.cancel();
    return;
  }
  const text = await readText(response, what);
  if (text.trim() === "") return;
  const type = response.headers.get("content-type") ?? "no content type";
  throw new ApiError(`${what} answered ${response.status} with a body (${type}) where Hydra answers 204 with none; is the endpoint Hydra's admin API? ${excerpt(text)}`, 0);
}

/** A Basic credential (`dXNlcjpwYXNz`) is hidden decoded too: a server may quote `user:pass`, or the password alone. */
export function hideBasicCredentials(credential: string): void {
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(decodeBase64(credential));
  } catch {
    return;
  }
  hideInErrors(decoded);
  if (decoded.includes(":")) hideInErrors(decoded.slice(decoded.indexOf(":") + 1));
}

export { isCredentialHeader } from "./credential-header.ts";

/**
 * Fields whose values are credentials. An error message may quote a server's answer, never
 * these: `code` and `device_code` are as good as a token until they are used.
 */
export const SECRET_FIELD_NAMES = [
  "client_secret",
  "access_token",
  "refresh_token",
  "id_token",
  "device_code",
  "user_code",
  "code",
  "code_verifier",
  "client_assertion",
  "assertion",
  "subject_token",
  "actor_token",
  "registration_access_token",
  "password",
];
let patterns: { json: RegExp; form: RegExp } | undefined;

/**
 * Built at the first error that quotes a body, not at start-up: constructing them costs
 * every command a quarter of a millisecond, and most never print an excerpt.
 */
function secretPatterns(): { json: RegExp; form: RegExp } {
  if (patterns) return patterns;
  const fields = SECRET_FIELD_NAMES.join("|");
  patterns = {
    // A JSON member, even in a body cut off mid-value or quoted inside another JSON string
    // (\"client_secret\":\"…\"): the name, then a string (escaped or not, maybe
    // unterminated) or a bare value.
    json: new RegExp(
      `(\\\\?"(?:${fields})\\\\?"\\s*:\\s*)(\\\\"(?:[^\\\\]|\\\\[^"])*(?:\\\\"|$)|"(?:[^"\\\\]|\\\\.)*(?:"|$)|[^\\s,}\\]]*)`,
      "gi",
    ),
    // A form or query parameter: name=value.
    form: new RegExp(`((?:^|[^\\w.-])(?:${fields})=)[^&\\s]*`, "gi"),
  };
  return patterns;
}

/** Replaces the values of secret-bearing fields, in JSON (whole or truncated) and forms alike. */
export function redactSecrets(text: string): string {
  const { json, form } = secretPatterns();
  return text.replace(json, '$1"[secret]"').replace(form, "$1[secret]");
}

/**
 * The first part of a body, on one line and without secrets, for an error message. Secrets
 * go before the cut: a secret the cut split would otherwise show in part.
 */
export function excerpt(text: string, length = 120): string {
  const line = withoutSecrets(redactSecrets(text)).replace(/\s+/g, " ").trim();
  return line.length > length ? `${line.slice(0, length)}…` : line || "(empty)";
}

/** Whether an answer says it is JSON: Hydra's errors are, Go's route-not-found 404 is plain text. */
export function isJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("json");
}

/**
 * JSON.parse, but a number JavaScript cannot hold as written (a whole number beyond 2^53, a
 * decimal with more digits than a double keeps) stays as written (JSON.rawJSON), so that it
 * is printed and sent back digit for digit: Hydra stores a client's metadata as it is sent,
 * and a 64-bit ID in it would otherwise come back changed. Only a text with such a run of
 * digits pays for the reviver.
 */
export function parseJson(text: string): unknown {
  return longDigits(text) ? JSON.parse(text, keepDigits) : JSON.parse(text);
}

/** Whether the text holds 16 digits in a row: a double keeps 15 for certain. */
function longDigits(text: string): boolean {
  let run = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    run = code >= 48 && code <= 57 ? run + 1 : 0;
    if (run === 16) return true;
  }
  return false;
}

function keepDigits(_key: string, value: unknown, context?: { source?: string }): unknown {
  const source = context?.source;
  if (typeof value !== "number" || source === undefined || Number.isSafeInteger(value) || String(value) === source) return value;
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(source);
}

/** Whether a value is a number parseJson kept as written. */
export function isRawJson(value: unknown): boolean {
  return (JSON as unknown as { isRawJSON(value: unknown): boolean }).isRawJSON(value);
}
