// Hydra v2 names a resource by several words (`get client`, `get oauth2-clients`…); every
// one of them leads to the same lazily loaded command, and help lists it once.

/** Every word Hydra v2's `get`, `delete` and `import` accept for OAuth 2.0 clients. */
export const CLIENT_WORDS = ["client", "oauth2-client", "clients", "oauth2-clients"] as const;
/** What v2's `create`, `update` and `patch` accept: the singular words only. */
export const ONE_CLIENT_WORDS = ["client", "oauth2-client"] as const;
/** What v2's `list` accepts. */
export const CLIENTS_WORDS = ["clients", "oauth2-clients"] as const;

export function words<Load>(names: readonly string[], load: Load): Record<string, Load> {
  // A loop, not Object.fromEntries: every start builds these tables (see src/chars.ts).
  const table: Record<string, Load> = {};
  for (const name of names) table[name] = load;
  return table;
}
