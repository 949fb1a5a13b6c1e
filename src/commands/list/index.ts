import type { CommandDef } from "citty";
import { CLIENTS_WORDS, words } from "../_words.ts";

const load = () => import("../clients/list.ts").then((m) => m.default);

// Hydra v2's word order (`hydra list clients`), with every word v2 accepts for the resource.
export default {
  meta: { name: "list", description: "List resources (Hydra v2 word order: list clients)" },
  subCommands: words([CLIENTS_WORDS, load]),
} satisfies CommandDef;
