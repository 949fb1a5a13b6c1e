import type { CommandDef } from "citty";

// Hydra v1.8's word order: `hydra token introspect`.
export default {
  meta: { name: "token", description: "Introspect, delete and flush OAuth 2.0 tokens" },
  subCommands: {
    introspect: () => import("./introspect.ts").then((m) => m.default),
    delete: () => import("./delete.ts").then((m) => m.default),
    flush: () => import("./flush.ts").then((m) => m.default),
  },
} satisfies CommandDef;
