import type { CommandDef } from "citty";

// Hydra v1.8's word order: `hydra clients create`.
export default {
  meta: { name: "clients", description: "Manage OAuth 2.0 clients through Hydra's admin API" },
  subCommands: {
    create: () => import("./create.ts").then((m) => m.default),
    get: () => import("./get.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    update: () => import("./update.ts").then((m) => m.default),
    patch: () => import("./patch.ts").then((m) => m.default),
    delete: () => import("./delete.ts").then((m) => m.default),
    import: () => import("./import.ts").then((m) => m.default),
  },
} satisfies CommandDef;
