import type { CommandDef } from "citty";
import { CLIENT_WORDS, words } from "../_words.ts";

const keys = () => import("../keys/get.ts").then((m) => m.default);
const load = () => import("../clients/get.ts").then((m) => m.default);

// Hydra v2's word order (`hydra get client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "get", description: "Show resources (Hydra v2 word order: get client, get jwks)" },
  subCommands: words([CLIENT_WORDS, load], [["jwk", "jwks"], keys]),
} satisfies CommandDef;
