import type { CommandDef } from "citty";

const keys = () => import("../keys/import.ts").then((m) => m.default);
const load = () => import("../clients/import.ts").then((m) => m.default);

// Hydra v2's word order (`hydra import client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "import", description: "Import resources (Hydra v2 word order: import client, import jwk)" },
  subCommands: {
    client: load,
    "oauth2-client": load,
    clients: load,
    "oauth2-clients": load,
    jwk: keys,
  },
} satisfies CommandDef;
