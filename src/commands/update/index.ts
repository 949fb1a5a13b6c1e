import type { CommandDef } from "citty";
import { ONE_CLIENT_WORDS, words } from "../_words.ts";

const load = () => import("../clients/update.ts").then((m) => m.default);

// Hydra v2's word order (`hydra update client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "update", description: "Replace resources (Hydra v2 word order: update client)" },
  subCommands: words([ONE_CLIENT_WORDS, load]),
} satisfies CommandDef;
