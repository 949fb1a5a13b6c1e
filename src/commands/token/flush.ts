import { command } from "../../cli/context.ts";
import { render } from "../../cli/output.ts";
import { parseDuration } from "../../cli/duration.ts";
import { flushTokensRequest, processFlushTokensResponse } from "../../hydra/tokens.ts";
import { adminFlags, adminFromArgs, writeDone } from "../_shared.ts";

/** An age may be far longer than a timeout: up to ten years. */
const age = (text: string, name: string) => parseDuration(text, name, 10 * 365 * 24 * 3_600_000);

export default command({
  meta: {
    name: "flush",
    description:
      "Remove inactive access tokens from Hydra's database (Hydra v1.8)\n\n" +
      "Hydra v1.8 removes the access tokens that have expired; --min-age keeps those issued less\n" +
      "than that long ago. Hydra v2 has no such endpoint: run `hydra janitor --tokens` beside\n" +
      "its database instead.\n\n" +
      "Examples:\n" +
      "  hydractl token flush\n" +
      "  hydractl token flush --min-age 24h",
  },
  args: {
    "min-age": { type: "string", default: "0s", parse: age, valueHint: "duration", description: "Keep tokens issued less than this long ago (e.g. 1h, 720h)" },
    ...adminFlags,
  },
  async run(args, context) {
    const admin = adminFromArgs(args, context);
    const notAfter = new Date(Date.now() - args["min-age"]);
    await processFlushTokensResponse(await flushTokensRequest(admin, notAfter), admin);
    const text = () => "Successfully flushed inactive access tokens";
    await writeDone(context, "the inactive tokens were flushed", () => render({ not_after: notAfter.toISOString() }, args.format, { text, table: () => [["NOT AFTER"], [notAfter.toISOString()]], ids: () => [] }));
  },
});
