import type { CommandDef } from "citty";

const load = () => import("../clients/list.ts").then((m) => m.default);

// Hydra v2's word order (`hydra list clients`), with every word v2 accepts for the resource.
export default {
  meta: { name: "list", description: "List resources (Hydra v2 word order: list clients)" },
  subCommands: {
    clients: load,
    "oauth2-clients": load,
  },
} satisfies CommandDef;
