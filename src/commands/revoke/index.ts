import type { CommandDef } from "citty";

// Hydra v2's word order (`hydra revoke token`); v1.8's is `token revoke`.
export default {
  meta: { name: "revoke", description: "Revoke tokens (Hydra v2 word order: revoke token)" },
  subCommands: {
    token: () => import("./token.ts").then((m) => m.default),
  },
} satisfies CommandDef;
