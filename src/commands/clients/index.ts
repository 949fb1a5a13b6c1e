import type { CommandDef } from "citty";

export default {
  meta: { name: "clients", description: "Manage OAuth 2.0 clients through Hydra's admin API" },
  subCommands: {
    create: () => import("./create.ts").then((m) => m.default),
  },
} satisfies CommandDef;
