import type { CommandDef } from "citty";

// Hydra v1.8's word order for tokens (`hydra token client`), and what hydractl adds.
export default {
  meta: { name: "token", description: "Get, refresh, inspect, revoke, delete and flush OAuth 2.0 tokens (Hydra v1.8 word order: token client)" },
  subCommands: {
    client: () => import("../perform/client-credentials.ts").then((m) => m.default),
    user: () => import("../perform/authorization-code.ts").then((m) => m.default),
    refresh: () => import("./refresh.ts").then((m) => m.default),
    userinfo: () => import("./userinfo.ts").then((m) => m.default),
    introspect: () => import("./introspect.ts").then((m) => m.default),
    revoke: () => import("../revoke/token.ts").then((m) => m.default),
    delete: () => import("./delete.ts").then((m) => m.default),
    flush: () => import("./flush.ts").then((m) => m.default),
  },
} satisfies CommandDef;
