import { defineCommand } from "citty";
import type { CommandContext } from "../../cli/context.ts";
import { adminFlags } from "../_shared.ts";

export default defineCommand({
  meta: { name: "create", description: "Create an OAuth 2.0 client" },
  args: { ...adminFlags },
  async run({ data }) {
    const context = data as CommandContext;
    await context.runtime.writeStdout(JSON.stringify(context.flags) + "\n");
  },
});
