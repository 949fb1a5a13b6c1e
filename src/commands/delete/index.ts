import type { CommandDef } from "citty";
import { CLIENT_WORDS, words } from "../_words.ts";

const keys = () => import("../keys/delete.ts").then((m) => m.default);
const tokens = () => import("../token/delete.ts").then((m) => m.default);
const load = () => import("../clients/delete.ts").then((m) => m.default);

// Hydra v2's word order (`hydra delete client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "delete", description: "Delete resources (Hydra v2 word order: delete client, delete jwks, delete access-tokens)" },
  subCommands: words([CLIENT_WORDS, load], [["jwk", "jwks"], keys], [["access-tokens"], tokens]),
} satisfies CommandDef;
