import { UsageError } from "../errors.ts";

/**
 * Reads one `-H 'Name: value'`. Split at the first colon only, so values such as
 * `Authorization: Basic a:b` or URLs survive.
 */
export function parseHeader(value: string, name: string): [string, string] {
  const colon = value.indexOf(":");
  const header = value.slice(0, colon).trim();
  // Not quoted back whole: without its colon, what was meant as a value (`X-Api-Key abc`) is in it.
  if (colon < 1) throw new UsageError(`invalid header for ${name}: expected "Name: value", a name before the first colon`);
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) throw new UsageError(`invalid header name "${header}" for ${name}: expected "Name: value"`);
  const headerValue = value.slice(colon + 1).trim();
  // The value is not quoted back: it may be a credential (Authorization, Cookie).
  if (!fitsHeader(headerValue)) throw new UsageError(`invalid header "${header}" for ${name}: its value ${UNFIT}`);
  return [header, headerValue];
}

/** What is wrong with a value `fitsHeader` refuses, after "it" or the value's name. */
export const UNFIT = "holds a line break, a NUL or a character beyond Latin-1, which no HTTP header can carry";

/** Whether `value` can go in an HTTP header: fetch takes Latin-1 only, and a line break would end the header. */
export function fitsHeader(value: string): boolean {
  for (let at = 0; at < value.length; at++) {
    const code = value.charCodeAt(at);
    if (code === 13 || code === 10 || code === 0 || code > 0xff) return false;
  }
  return true;
}

/** A token sent in the Authorization header. Not quoted back: it is a credential. */
export function parseBearerToken(value: string, name: string): string {
  if (!fitsHeader(value)) throw new UsageError(`invalid ${name}: it ${UNFIT}`);
  return value;
}
