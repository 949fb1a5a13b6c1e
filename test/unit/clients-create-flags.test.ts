import assert from "node:assert/strict";
import { test } from "node:test";
import { applyFallbacks } from "../../src/cli/config.ts";
import { finishArgs, parseLine } from "../../src/cli/flags.ts";
import { clientFieldFlags, clientFromArgs, clientIdFlag } from "../../src/commands/clients/_shared.ts";
import { schemaErrors } from "../support/hydra-api.ts";

const defs = { ...clientIdFlag, ...clientFieldFlags };
/** The body `clients create ARGS` sends, through the same parsing main.ts does. */
const body = (...args: string[]) => {
  const { values, positionals } = parseLine(args, defs);
  const fallen = applyFallbacks(values, defs, () => undefined, undefined);
  return clientFromArgs(finishArgs(defs, fallen.values, positionals, fallen.sources));
};

const DEFAULTS = {
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
  subject_type: "public",
};

test("without flags: only the v1.8 defaults, nothing empty", () => {
  assert.deepEqual(body(), DEFAULTS);
});

test("every flag of the v1.8 page maps to its field", () => {
  const cases: [string[], Record<string, unknown>][] = [
    [["--id", "my-id"], { client_id: "my-id" }],
    [["-n", "my app"], { client_name: "my app" }],
    [["--name", "my app"], { client_name: "my app" }],
    [["-c", "http://a/cb,http://b/cb"], { redirect_uris: ["http://a/cb", "http://b/cb"] }],
    [["-g", "client_credentials,refresh_token"], { grant_types: ["client_credentials", "refresh_token"] }],
    [["-r", "token,id_token"], { response_types: ["token", "id_token"] }],
    [["-a", "core,foobar"], { scope: "core foobar" }],
    [["--audience", "a,b"], { audience: ["a", "b"] }],
    [["--token-endpoint-auth-method", "none"], { token_endpoint_auth_method: "none" }],
    [["--jwks-uri", "https://a/jwks"], { jwks_uri: "https://a/jwks" }],
    [["--policy-uri", "https://a/p"], { policy_uri: "https://a/p" }],
    [["--tos-uri", "https://a/t"], { tos_uri: "https://a/t" }],
    [["--client-uri", "https://a/"], { client_uri: "https://a/" }],
    [["--logo-uri", "https://a/l.png"], { logo_uri: "https://a/l.png" }],
    [["--allowed-cors-origins", "https://a,https://b"], { allowed_cors_origins: ["https://a", "https://b"] }],
    [["--subject-type", "pairwise"], { subject_type: "pairwise" }],
    [["--post-logout-callbacks", "https://a/bye"], { post_logout_redirect_uris: ["https://a/bye"] }],
  ];
  for (const [args, fields] of cases) assert.deepEqual(body(...args), { ...DEFAULTS, ...fields }, args.join(" "));
});

test("Hydra v2 spellings and fields", () => {
  const cases: [string[], Record<string, unknown>][] = [
    [["--redirect-uri", "http://a/cb", "--redirect-uri", "http://b/cb"], { redirect_uris: ["http://a/cb", "http://b/cb"] }],
    [["--grant-type", "implicit"], { grant_types: ["implicit"] }],
    [["--response-type", "id_token"], { response_types: ["id_token"] }],
    [["--post-logout-callback", "https://a/bye"], { post_logout_redirect_uris: ["https://a/bye"] }],
    [["--allowed-cors-origin", "https://a"], { allowed_cors_origins: ["https://a"] }],
    [["--owner", "team-a"], { owner: "team-a" }],
    [["--contact", "a@example.com", "--contact", "b@example.com"], { contacts: ["a@example.com", "b@example.com"] }],
    [["--metadata", '{"tier":"gold","n":1}'], { metadata: { tier: "gold", n: 1 } }],
    [["--skip-consent"], { skip_consent: true }],
    [["--skip-logout-consent"], { skip_logout_consent: true }],
    [["--access-token-strategy", "jwt"], { access_token_strategy: "jwt" }],
    [["--request-object-signing-alg", "RS256"], { request_object_signing_alg: "RS256" }],
    [["--request-uri", "https://a/r"], { request_uris: ["https://a/r"] }],
    [["--sector-identifier-uri", "https://a/s.json"], { sector_identifier_uri: "https://a/s.json" }],
    [["--backchannel-logout-callback", "https://a/bc", "--backchannel-logout-session-required"], { backchannel_logout_uri: "https://a/bc", backchannel_logout_session_required: true }],
    [["--frontchannel-logout-callback", "https://a/fc", "--frontchannel-logout-session-required"], { frontchannel_logout_uri: "https://a/fc", frontchannel_logout_session_required: true }],
  ];
  for (const [args, fields] of cases) assert.deepEqual(body(...args), { ...DEFAULTS, ...fields }, args.join(" "));
});

test("list flags accumulate: -c a,b -c c and --callbacks together", () => {
  assert.deepEqual(body("-c", "http://a/1,http://a/2", "-c", "http://a/3", "--callbacks=http://a/4", "--redirect-uri", "http://a/5").redirect_uris, [
    "http://a/1",
    "http://a/2",
    "http://a/3",
    "http://a/4",
    "http://a/5",
  ]);
  assert.deepEqual(body("-a", "a", "-a", "b,c").scope, "a b c");
});

test("every URL flag refuses a relative or host-only URL, naming flag and value", () => {
  const urlFlags = ["--callbacks", "--jwks-uri", "--policy-uri", "--tos-uri", "--client-uri", "--logo-uri", "--allowed-cors-origins", "--post-logout-callbacks", "--request-uri", "--sector-identifier-uri", "--backchannel-logout-callback", "--frontchannel-logout-callback"];
  for (const flag of urlFlags) {
    for (const bad of ["/relative/cb", "localhost:4446/cb", "not a url"]) {
      assert.throws(() => body(flag, bad), { name: "UsageError", message: `invalid ${flag} "${bad}": expected an absolute URL such as https://example.com/callback` });
    }
  }
  assert.deepEqual(body("-c", "com.example.app:/oauth2redirect").redirect_uris, ["com.example.app:/oauth2redirect"]);
});

test("--metadata takes any JSON, as Hydra stores any; what is not JSON is refused", () => {
  assert.throws(() => body("--metadata", "{nope"), { name: "UsageError", message: /invalid --metadata: not JSON/ });
  assert.deepEqual(body("--metadata", "[1]").metadata, [1]);
  assert.deepEqual(body("--metadata", '{"a":1}').metadata, { a: 1 });
});

test("a body with every flag follows Hydra's oAuth2Client schema", () => {
  const everything = body(
    "--id", "x", "-n", "x", "-c", "http://a/cb", "-g", "authorization_code", "-r", "code", "-a", "openid",
    "--audience", "a", "--jwks-uri", "https://a/j", "--policy-uri", "https://a/p", "--tos-uri", "https://a/t",
    "--client-uri", "https://a", "--logo-uri", "https://a/l", "--allowed-cors-origins", "https://a",
    "--post-logout-callbacks", "https://a/b", "--owner", "o", "--contact", "c", "--metadata", "{}", "--skip-consent",
    "--skip-logout-consent", "--access-token-strategy", "opaque", "--request-object-signing-alg", "none", "--request-uri", "https://a/r",
    "--sector-identifier-uri", "https://a/s", "--backchannel-logout-callback", "https://a/bc",
    "--backchannel-logout-session-required", "--frontchannel-logout-callback", "https://a/fc", "--frontchannel-logout-session-required",
  );
  assert.deepEqual(schemaErrors("oAuth2Client", everything, { closed: true }), []);
});
