// Hydra v2 names a resource by several words (`get client`, `get oauth2-clients`…); every
// one of them leads to the same lazily loaded command, and help lists it once.

/** Every word Hydra v2's `get`, `delete` and `import` accept for OAuth 2.0 clients. */
export const CLIENT_WORDS = ["client", "oauth2-client", "clients", "oauth2-clients"] as const;
/** What v2's `create`, `update` and `patch` accept: the singular words only. */
export const ONE_CLIENT_WORDS = ["client", "oauth2-client"] as const;
/** What v2's `list` accepts. */
export const CLIENTS_WORDS = ["clients", "oauth2-clients"] as const;

/** A group's table: each of the words of a group of names leads to that group's command. */
export function words<Groups extends [names: readonly string[], load: unknown][]>(...groups: Groups): Record<string, Groups[number][1]> {
  // Loops, not Object.fromEntries or object spreads: every start builds these tables, and
  // the engine compiles each of those at its first use (see src/chars.ts).
  const table: Record<string, Groups[number][1]> = {};
  for (const [names, load] of groups) for (const name of names) table[name] = load;
  return table;
}
