import type { CommandDef } from "citty";

/**
 * The root: lists the command groups, each loaded only when named. The groups are plain
 * citty command objects; the leaves use defineCommand, which is all of citty that ships.
 */
export default {
  meta: {
    name: "hydractl",
    description:
      "A command-line client for Ory Hydra and any OAuth 2.0 / OpenID Connect server.\n\n" +
      "Create OAuth 2.0 clients through Hydra's admin API, and run the Authorization Code\n" +
      "flow from your terminal with a local web client that validates what it receives.",
  },
  subCommands: {
    clients: () => import("./clients/index.ts").then((m) => m.default),
    create: () => import("./create/index.ts").then((m) => m.default),
    perform: () => import("./perform/index.ts").then((m) => m.default),
  },
} satisfies CommandDef;
