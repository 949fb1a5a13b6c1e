import type { CommandDef } from "citty";
import clients from "./clients/index.ts";
import create from "./create/index.ts";
import perform from "./perform/index.ts";

/**
 * The root. The groups are a few lines each and `--help` lists them all, so they load with
 * it (a lazy chunk costs more than it saves); the commands themselves load only when named.
 * Groups are plain citty command objects; leaves use defineCommand, all of citty that ships.
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
    clients,
    create,
    perform,
  },
} satisfies CommandDef;
