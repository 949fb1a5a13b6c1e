import { defineCommand } from "citty";

export default defineCommand({
  meta: { name: "perform", description: "Run OAuth 2.0 flows against a server" },
  subCommands: {
    "authorization-code": () => import("./authorization-code.ts").then((m) => m.default),
  },
});
