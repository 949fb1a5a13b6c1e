import type { CommandDef } from "citty";

// Hydra v2 puts the verb first (`hydra create client`); both orders lead to the same command.
export default {
  meta: { name: "create", description: "Create resources (Hydra v2 word order: create client)" },
  subCommands: {
    client: () => import("../clients/create.ts").then((m) => m.default),
    "oauth2-client": () => import("../clients/create.ts").then((m) => m.default),
  },
} satisfies CommandDef;
