import { defineCommand } from "citty";
export default defineCommand({
  meta: { name: "authorization-code", description: "Run the Authorization Code flow with a local web client" },
  args: {},
  run() {},
});
