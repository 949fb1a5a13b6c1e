import { UsageError } from "../errors.ts";

/**
 * Reads one `-H 'Name: value'`. Split at the first colon only, so values such as
 * `Authorization: Basic a:b` or URLs survive.
 */
export function parseHeader(value: string, name: string): [string, string] {
  const colon = value.indexOf(":");
  const header = value.slice(0, colon).trim();
  if (colon < 1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
    throw new UsageError(`invalid header "${value}" for ${name}: expected "Name: value"`);
  }
  const headerValue = value.slice(colon + 1).trim();
  // The value is not quoted back: it may be a credential (Authorization, Cookie).
  for (let at = 0; at < headerValue.length; at++) {
    const char = headerValue[at];
    if (char === "\r" || char === "\n" || char === "\0") throw new UsageError(`invalid header "${header}" for ${name}: its value holds a line break or NUL`);
  }
  return [header, headerValue];
}
