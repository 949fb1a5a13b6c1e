import type { CommandDef } from "citty";

const keys = () => import("../keys/delete.ts").then((m) => m.default);
const tokens = () => import("../token/delete.ts").then((m) => m.default);
const load = () => import("../clients/delete.ts").then((m) => m.default);

// Hydra v2's word order (`hydra delete client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "delete", description: "Delete resources (Hydra v2 word order: delete client, delete jwks, delete access-tokens)" },
  subCommands: {
    client: load,
    "oauth2-client": load,
    clients: load,
    "oauth2-clients": load,
    jwk: keys,
    jwks: keys,
    "access-tokens": tokens,
  },
} satisfies CommandDef;
