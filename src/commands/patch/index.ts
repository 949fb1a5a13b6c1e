import type { CommandDef } from "citty";
import { ONE_CLIENT_WORDS, words } from "../_words.ts";

const load = () => import("../clients/patch.ts").then((m) => m.default);

// Hydra v2's word order (`hydra patch client`), with every word v2 accepts for the resource.
export default {
  meta: { name: "patch", description: "Change resources with JSON Patch (word order: patch client)" },
  subCommands: words([ONE_CLIENT_WORDS, load]),
} satisfies CommandDef;
