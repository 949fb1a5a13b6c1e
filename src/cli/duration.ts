import { UsageError } from "../errors.ts";

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;
const WHOLE = new RegExp(`^(?:${PART.source})+$`);

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
  if (!WHOLE.test(text)) {
    throw new UsageError(`invalid duration "${shown}" for ${name} (examples: 30s, 1m, 1m30s)`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNITS[unit!]!;
  if (!(total <= maxMs)) throw new UsageError(`invalid duration "${shown}" for ${name}: longer than the maximum, ${maxMs / 3_600_000}h`);
  return total;
}
