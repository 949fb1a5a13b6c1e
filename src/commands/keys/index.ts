import type { CommandDef } from "citty";

// Hydra v1.8's word order: `hydra keys create`.
export default {
  meta: { name: "keys", description: "Manage JSON Web Key Sets through Hydra's admin API" },
  subCommands: {
    create: () => import("./create.ts").then((m) => m.default),
    get: () => import("./get.ts").then((m) => m.default),
    delete: () => import("./delete.ts").then((m) => m.default),
    import: () => import("./import.ts").then((m) => m.default),
  },
} satisfies CommandDef;
