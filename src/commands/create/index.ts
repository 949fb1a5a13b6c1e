import type { CommandDef } from "citty";
import { ONE_CLIENT_WORDS, words } from "../_words.ts";

const keys = () => import("../keys/create.ts").then((m) => m.default);
const load = () => import("../clients/create.ts").then((m) => m.default);

// Hydra v2's word order (`hydra create client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "create", description: "Create resources (Hydra v2 word order: create client, create jwks)" },
  subCommands: words([ONE_CLIENT_WORDS, load], [["jwk", "jwks"], keys]),
} satisfies CommandDef;
