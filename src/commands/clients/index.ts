import { defineCommand } from "citty";

export default defineCommand({
  meta: { name: "clients", description: "Manage OAuth 2.0 clients through Hydra's admin API" },
  subCommands: {
    create: () => import("./create.ts").then((m) => m.default),
  },
});
