import type { CommandDef } from "citty";

// Hydra v2's word order: `hydra introspect token`.
export default {
  meta: { name: "introspect", description: "Introspect tokens (Hydra v2 word order: introspect token)" },
  subCommands: {
    token: () => import("../token/introspect.ts").then((m) => m.default),
  },
} satisfies CommandDef;
