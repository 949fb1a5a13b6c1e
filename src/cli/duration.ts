import { isDigit } from "../chars.ts";
import { UsageError } from "../errors.ts";

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The longest duration accepted. Timers overflow past 2^31 ms (about 24.8 days) and fire
 * at once; a day is far beyond any wait a command needs, so anything longer is a mistake.
 */
export const MAX_DURATION_MS = 24 * 3_600_000;

/**
 * Parses a Go duration (`30s`, `1m`, `1m30s`, `1.5h`, `250ms`) into milliseconds, the
 * form Hydra's own `--fail-after` takes, so existing scripts keep working. `maxMs` is
 * for durations that set no timer (an age), which may be longer.
 */
export function parseDuration(text: string, name: string, maxMs = MAX_DURATION_MS): number {
  if (text === "0") return 0;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const total = goDuration(text);
  if (total === undefined) throw new UsageError(`invalid duration "${shown}" for ${name} (examples: 30s, 1m, 1m30s)`);
  if (!(total <= maxMs)) throw new UsageError(`invalid duration "${shown}" for ${name}: longer than the maximum, ${maxMs / 3_600_000}h`);
  // A timer waits whole milliseconds: 1us would mean no time at all, not a short one.
  if (total > 0 && total < 1) throw new UsageError(`invalid duration "${shown}" for ${name}: shorter than a millisecond, the least a timer waits`);
  return total;
}

/**
 * Go's grammar: one or more of a decimal number (`1`, `1.5`, `.5`, `1.`) and a unit, in
 * milliseconds; undefined for anything else. Scanned by hand: the default --fail-after is
 * parsed on every start (see src/chars.ts).
 */
function goDuration(text: string): number | undefined {
  let total = 0;
  let at = 0;
  if (text === "") return undefined;
  while (at < text.length) {
    const start = at;
    while (isDigit(text[at])) at++;
    let digits = at - start;
    if (text[at] === ".") {
      const fraction = ++at;
      while (isDigit(text[at])) at++;
      digits += at - fraction;
    }
    const two = text.slice(at, at + 2);
    const one = text.slice(at, at + 1);
    const unit = two in UNITS ? two : one in UNITS ? one : undefined;
    if (digits === 0 || unit === undefined) return undefined;
    total += Number(text.slice(start, at)) * UNITS[unit]!;
    at += unit.length;
  }
  return total;
}
