// `hydractl clients create` against a local server, beside curl sending the same POST in
// the same run. Targets: ratio ≤ 1.2, and ≤ 1.6 with --pgp-key. The floors are the same
// POST from a bare Bun-compiled program (scripts/bench/floor/), and that plus hydractl's
// openpgp.js key loading and encryption: what Bun and openpgp.js cost before hydractl.
import * as openpgp from "openpgp";
import { binary, compileFloor, measure, report } from "./measure.ts";

const runs = Number(process.argv[2] ?? 20);
const stub = Bun.spawn([process.execPath, new URL("./hydra-stub.ts", import.meta.url).pathname], { stdout: "pipe" });
const port = (await new Response(stub.stdout).body!.getReader().read()).value;
const endpoint = `http://127.0.0.1:${new TextDecoder().decode(port).trim()}`;
const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: "bench" }], type: "ecc", format: "armored" });
const body = JSON.stringify({
  client_name: "bench",
  redirect_uris: ["http://localhost/cb"],
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
  subject_type: "public",
});
const args = ["clients", "create", "--endpoint", endpoint, "-n", "bench", "-c", "http://localhost/cb"];
const [fetchFloor, pgpFloor] = [compileFloor("fetch"), compileFloor("pgp")];
const curl = measure("curl POST /clients", ["curl", "-sS", "-X", "POST", "-H", "Content-Type: application/json", "-d", body, `${endpoint}/clients`], runs);
const bunFloor = measure("floor: Bun fetch", [fetchFloor, endpoint, body], runs);
const openpgpFloor = measure("floor: Bun fetch + openpgp.js", [pgpFloor, endpoint, body, btoa(publicKey)], runs);
const plain = measure("hydractl clients create", [binary, ...args], runs);
const pgp = measure("hydractl clients create --pgp-key", [binary, ...args, "--pgp-key", btoa(publicKey)], runs);
report([curl, bunFloor, openpgpFloor, plain, pgp], curl, new Map([[plain, bunFloor], [pgp, openpgpFloor]]));
stub.kill();
