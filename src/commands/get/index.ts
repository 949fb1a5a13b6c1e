import type { CommandDef } from "citty";

const keys = () => import("../keys/get.ts").then((m) => m.default);
const load = () => import("../clients/get.ts").then((m) => m.default);

// Hydra v2's word order (`hydra get client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "get", description: "Show resources (Hydra v2 word order: get client, get jwks)" },
  subCommands: {
    client: load,
    "oauth2-client": load,
    clients: load,
    "oauth2-clients": load,
    jwk: keys,
    jwks: keys,
  },
} satisfies CommandDef;
