// `hydractl clients create` against a local stand-in for Hydra's admin API, beside Ory
// Hydra's own CLIs creating the same client against the same server in the same run:
//   - plain: target ≤ 0.3× each Hydra CLI; floors: the same job hand-written for this one
//     command (flags, environment, config file, /admin or the bare path, Hydra's output:
//     scripts/bench/floor/create.ts), and the POST alone from a bare program (floor/fetch.ts);
//   - --pgp-key (an RSA key: hydra-v1.8.5 reads no other): target ≤ 0.8× hydra-v1.8.5;
//     floors: a bare program that only loads openpgp.js, reads the key and encrypts 32
//     bytes (floor/encrypt.ts), and the POST plus hydractl's own key code (floor/pgp.ts).
// Peak memory: at most the lightest Hydra CLI's; where the floors need more (openpgp.js
// alone does), at most 1.1× the heaviest floor, for --pgp-key the one that also sends the POST.
// Usage: scripts/bench-create [runs]   (default 20)
import * as openpgp from "openpgp";
import { binary, compileFloor, hydraBinary, hydraLabel, measureAll, report } from "./measure.ts";

const runs = Number(process.argv[2] ?? 20);
const [v2, v1] = [hydraBinary("v2.3.0"), hydraBinary("v1.8.5")];
const stub = Bun.spawn([process.execPath, new URL("./hydra-stub.ts", import.meta.url).pathname], { stdout: "pipe" });
try {
  const port = (await new Response(stub.stdout).body!.getReader().read()).value;
  const endpoint = `http://127.0.0.1:${new TextDecoder().decode(port).trim()}`;
  const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: "bench" }], type: "rsa", rsaBits: 2048, format: "armored" });
  const pgpKey = btoa(publicKey);
  const body = JSON.stringify({
    client_name: "bench",
    redirect_uris: ["http://localhost/cb"],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    subject_type: "public",
  });
  // Each CLI in its own words: v1's `clients create`, v2's `create client`.
  const v1Args = ["clients", "create", "--endpoint", endpoint, "-n", "bench", "-c", "http://localhost/cb"];
  const v2Args = ["create", "client", "--endpoint", endpoint, "--name", "bench", "--redirect-uri", "http://localhost/cb"];
  const [createFloor, fetchFloor, encryptFloor, pgpFloor] = [compileFloor("create"), compileFloor("fetch"), compileFloor("encrypt"), compileFloor("pgp")];

  const [plain, ...plainRows] = measureAll(
    [
      { label: "hydractl clients create", command: [binary, ...v1Args] },
      { label: `${hydraLabel(v2)} create client`, command: [v2, ...v2Args] },
      { label: `${hydraLabel(v1)} clients create`, command: [v1, ...v1Args] },
      { label: "floor: the same job, hand-written", command: [createFloor, "--endpoint", endpoint, "-n", "bench", "-c", "http://localhost/cb"] },
      { label: "floor: Bun fetch", command: [fetchFloor, endpoint, body] },
    ],
    runs,
  );
  const plainHydras = plainRows.slice(0, 2);
  report({ title: "clients create", hydractl: plain!, hydras: plainHydras, floors: plainRows.slice(2), target: { ratio: 0.3, against: plainHydras } }, runs);

  const [pgp, ...pgpRows] = measureAll(
    [
      { label: "hydractl clients create --pgp-key", command: [binary, ...v1Args, "--pgp-key", pgpKey] },
      { label: `${hydraLabel(v2)} create client --pgp-key`, command: [v2, ...v2Args, "--pgp-key", pgpKey] },
      { label: `${hydraLabel(v1)} clients create --pgp-key`, command: [v1, ...v1Args, "--pgp-key", pgpKey] },
      { label: "floor: openpgp.js encrypt", command: [encryptFloor, pgpKey] },
      { label: "floor: Bun fetch + hydractl's openpgp.js code", command: [pgpFloor, endpoint, body, pgpKey] },
    ],
    runs,
  );
  const pgpHydras = pgpRows.slice(0, 2);
  report({ title: "clients create --pgp-key", hydractl: pgp!, hydras: pgpHydras, floors: pgpRows.slice(2), target: { ratio: 0.8, against: [pgpHydras[1]!] } }, runs);
} finally {
  stub.kill();
}
