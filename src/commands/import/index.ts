import type { CommandDef } from "citty";
import { CLIENT_WORDS, words } from "../_words.ts";

const keys = () => import("../keys/import.ts").then((m) => m.default);
const load = () => import("../clients/import.ts").then((m) => m.default);

// Hydra v2's word order (`hydra import client`), with every word v2 accepts for the resource,
// and `jwks`, which v2 takes after create, get and delete but not here (its `import jwks`
// prints the group's help and does nothing).
export default {
  meta: { name: "import", description: "Import resources (Hydra v2 word order: import client, import jwk)" },
  subCommands: words([CLIENT_WORDS, load], [["jwk", "jwks"], keys]),
} satisfies CommandDef;
