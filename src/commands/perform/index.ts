import type { CommandDef } from "citty";

export default {
  meta: { name: "perform", description: "Run OAuth 2.0 flows against a server" },
  subCommands: {
    "authorization-code": () => import("./authorization-code.ts").then((m) => m.default),
    "client-credentials": () => import("./client-credentials.ts").then((m) => m.default),
    "device-code": () => import("./device-code.ts").then((m) => m.default),
  },
} satisfies CommandDef;
