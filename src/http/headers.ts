import { UsageError } from "../errors.ts";

/**
 * Reads `-H 'Name: value'` flags. Split at the first colon only, so values such as
 * `Authorization: Basic a:b` or URLs survive.
 */
export function parseHeaders(values: readonly string[], flag = "http-header"): [string, string][] {
  return values.map((value) => {
    const colon = value.indexOf(":");
    const name = value.slice(0, colon).trim();
    if (colon < 1 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`invalid header "${value}" for --${flag}: expected "Name: value"`);
    }
    return [name, value.slice(colon + 1).trim()];
  });
}
