import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { after, test } from "node:test";
import { applyFallbacks, exposedCredentials, loadConfig } from "../../src/cli/config.ts";
import type { FlagDefs } from "../../src/cli/flags.ts";
import { runtime, tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

const defs = {
  endpoint: { type: "string", env: ["HYDRA_ADMIN_URL", "ORY_SDK_URL"] },
  "fail-after": { type: "string", default: "1m" },
  "skip-tls-verify": { type: "boolean" },
  "http-header": { type: "string", list: "repeat" },
  scope: { type: "string", list: "words", default: "offline,openid" },
  callbacks: { type: "string", list: "comma" },
} as const satisfies FlagDefs;

test("flag beats environment beats config file beats default", async () => {
  const file = dir.write("precedence.yaml", "endpoint: http://from-config\nfail-after: 30s\nskip-tls-verify: true\n");
  const config = await loadConfig(runtime, file);
  const env = (name: string) => ({ HYDRA_ADMIN_URL: "http://from-env" })[name];
  assert.equal(applyFallbacks({ endpoint: "http://from-flag" }, defs, env, config).values.endpoint, "http://from-flag");
  const fallen = applyFallbacks({}, defs, env, config).values;
  assert.equal(fallen.endpoint, "http://from-env");
  assert.equal(fallen["fail-after"], "30s");
  assert.equal(fallen["skip-tls-verify"], true);
  assert.deepEqual(fallen.scope, ["offline", "openid"]);
  assert.equal(applyFallbacks({}, defs, () => undefined, config).values.endpoint, "http://from-config");
  // The variables in order: Hydra v1.8's name first, then v2's.
  const onlyV2 = (name: string) => ({ ORY_SDK_URL: "http://from-v2" })[name];
  assert.equal(applyFallbacks({}, defs, onlyV2, config).sources.endpoint, "ORY_SDK_URL");
  // Where each value came from, so that a bad one is named as the user wrote it.
  assert.deepEqual(applyFallbacks({ scope: ["a"] }, defs, env, config).sources, {
    endpoint: "HYDRA_ADMIN_URL",
    "fail-after": `"fail-after" in ${file}`,
    "skip-tls-verify": `"skip-tls-verify" in ${file}`,
    scope: "--scope",
  });
});

test("lists come from YAML sequences or comma strings", async () => {
  const file = dir.write("lists.yaml", "http-header: ['A: 1, 2', 'B: 3']\nscope: openid,email\ncallbacks: ['https://a.example/cb?x=1,2', 'https://b.example/cb']\n");
  const values = applyFallbacks({}, defs, () => undefined, await loadConfig(runtime, file)).values;
  assert.deepEqual(values["http-header"], ["A: 1, 2", "B: 3"]);
  assert.deepEqual(values.scope, ["openid", "email"]);
  assert.deepEqual(values.callbacks, ["https://a.example/cb?x=1,2", "https://b.example/cb"]);
  // One header as a string is one header, commas and all, as -H takes it.
  const header = dir.write("header.yaml", "http-header: 'X-Tenant: a, b'\n");
  assert.deepEqual(applyFallbacks({}, defs, () => undefined, await loadConfig(runtime, header)).values["http-header"], ["X-Tenant: a, b"]);
});

test("scopes split at spaces too, wherever they come from: a scope holds none, and OAuth writes a list so", async () => {
  const file = dir.write("scopes.yaml", "scope: openid offline, email\n");
  assert.deepEqual(applyFallbacks({}, defs, () => undefined, await loadConfig(runtime, file)).values.scope, ["openid", "offline", "email"]);
  const list = dir.write("scope-list.yaml", "scope: ['openid offline', email]\n");
  assert.deepEqual(applyFallbacks({}, defs, () => undefined, await loadConfig(runtime, list)).values.scope, ["openid", "offline", "email"]);
  const env = (name: string) => ({ SCOPE: "openid\toffline" })[name];
  assert.deepEqual(applyFallbacks({}, { scope: { ...defs.scope, env: "SCOPE" } }, env, undefined).values.scope, ["openid", "offline"]);
});

test("a named file that is missing or malformed is an error naming it", async () => {
  await assert.rejects(loadConfig(runtime, `${dir.path}/nope.yaml`), { name: "ConfigError", message: /nope\.yaml does not exist/ });
  const broken = dir.write("broken.yaml", "endpoint: [unclosed\n");
  await assert.rejects(loadConfig(runtime, broken), { name: "ConfigError", message: /broken\.yaml is not valid YAML/ });
  const twice = dir.write("twice.yaml", "endpoint: http://a\nendpoint: http://b\n");
  await assert.rejects(loadConfig(runtime, twice), { name: "ConfigError", message: /twice\.yaml is not valid YAML: duplicated mapping key at line 2, column 1$/ });
  const tagged = dir.write("tagged.yaml", "endpoint: !tag http://a\n");
  await assert.rejects(loadConfig(runtime, tagged), { name: "ConfigError", message: /tagged\.yaml is not valid YAML: unknown scalar tag !<!tag> at line 1, column 11$/ });
  const huge = dir.write("huge.yaml", `endpoint: http://a\n${"# padding\n".repeat(110_000)}`);
  await assert.rejects(loadConfig(runtime, huge), { name: "ConfigError", message: /^config file \S+huge\.yaml holds more than 1 MiB$/ });
  const list = dir.write("list.yaml", "- a\n- b\n");
  await assert.rejects(loadConfig(runtime, list), { message: /list\.yaml must be a mapping/ });
  const wrongType = dir.write("wrong.yaml", "skip-tls-verify: yes please\n");
  const config = await loadConfig(runtime, wrongType);
  assert.throws(() => applyFallbacks({}, defs, () => undefined, config), { message: /"skip-tls-verify" must be true or false/ });
});

test("a file reads as YAML 1.2's core schema; empty documents hold nothing, two with settings are refused", async () => {
  const scalars = dir.write("scalars.yaml", "a: 0x1F\nb: -0x1F\nc: 1_000\nd: yes\ne: 2026-01-01\nf: True\ng: ~\nh: '0123'\n");
  assert.deepEqual((await loadConfig(runtime, scalars))?.values, { a: 31, b: "-0x1F", c: "1_000", d: "yes", e: "2026-01-01", f: true, g: null, h: "0123" });
  for (const text of ["", "# nothing set yet\n", "---\n", "--- # none yet\n...\n"]) {
    assert.deepEqual((await loadConfig(runtime, dir.write("blank.yaml", text)))?.values, {});
  }
  // An empty document beside the one with settings, as `---` at either end leaves one.
  for (const text of ["---\nendpoint: http://a\n", "endpoint: http://a\n---\n", "---\nendpoint: http://a\n---\n"]) {
    assert.deepEqual((await loadConfig(runtime, dir.write("fenced.yaml", text)))?.values, { endpoint: "http://a" });
  }
  const two = dir.write("two.yaml", "endpoint: http://a\n---\nendpoint: http://b\n");
  await assert.rejects(loadConfig(runtime, two), { name: "ConfigError", message: /two\.yaml holds 2 YAML documents; it must hold one$/ });
});

test("a YAML error names the place, never the lines of a file that can hold a secret", async () => {
  const file = dir.write("secret.yaml", "client-secret: s3cr3t-value\nclient-secret: other\n");
  const error = await loadConfig(runtime, file).then(() => undefined, (rejected: unknown) => rejected as Error);
  assert.match(String(error?.message), /is not valid YAML: duplicated mapping key at line 2, column 1$/);
  assert.doesNotMatch(`${error?.message} ${error?.stack} ${error?.cause}`, /s3cr3t|other/);
});

test("nested aliases are refused, and a value of the wrong kind is named, not printed", async () => {
  // Thirty lines that stand for 10^30 values: refused while parsing, before anything walks them.
  let bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 30; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
  await assert.rejects(loadConfig(runtime, dir.write("bomb.yaml", `${bomb}endpoint: *a29\n`)), {
    name: "ConfigError",
    message: /bomb\.yaml is not valid YAML: aliases exceeded maxAliases \(100\) at line 12, column 13$/,
  });
  const nested = await loadConfig(runtime, dir.write("nested.yaml", "endpoint: {url: http://a, secret: s3cr3t}\n"));
  const wrong = (() => {
    try {
      applyFallbacks({}, defs, () => undefined, nested);
    } catch (error) {
      return error as Error;
    }
  })();
  assert.match(String(wrong?.message), /"endpoint" must be a string, got a mapping$/);
  assert.doesNotMatch(String(wrong?.message), /s3cr3t/);
  const long = await loadConfig(runtime, dir.write("long.yaml", `skip-tls-verify: "${"x".repeat(100)}"\n`));
  assert.throws(() => applyFallbacks({}, defs, () => undefined, long), { message: /"skip-tls-verify" must be true or false, got "x{56}\.\.\.$/ });
});

test("a missing default file is silent; one that cannot be read is gone without, and why is kept to be said", async () => {
  const saved = runtime.homeDir;
  const home = tempDir();
  try {
    (runtime as { homeDir: () => string }).homeDir = () => home.path;
    assert.equal(await loadConfig(runtime, undefined), undefined);
    home.write(".hydra.yaml", "endpoint: http://home\n");
    assert.deepEqual(await loadConfig(runtime, undefined), { path: `${home.path}/.hydra.yaml`, values: { endpoint: "http://home" } });
    // Hydra's CLIs read nothing there, so a broken file left there stops neither of them.
    home.write(".hydra.yaml", "endpoint: [\n");
    const broken = await loadConfig(runtime, undefined);
    assert.deepEqual(broken?.values, {});
    assert.match(String(broken?.unread), /^config file .*\.hydra\.yaml is not valid YAML: /);
    // Named, it is an error.
    await assert.rejects(loadConfig(runtime, `${home.path}/.hydra.yaml`), { name: "ConfigError" });
  } finally {
    (runtime as { homeDir: typeof saved }).homeDir = saved;
    home.remove();
  }
});

test("an empty --config is an error, not the default file or none", async () => {
  await assert.rejects(loadConfig(runtime, ""), { name: "ConfigError", message: "--config is empty (is a shell variable unset?)" });
});

test("the credentials a config file holds are named when its group or everyone may read it", async () => {
  const exposed = async (text: string, mode: number) => {
    const file = dir.write("exposed.yaml", text);
    chmodSync(file, mode);
    return exposedCredentials(runtime, (await loadConfig(runtime, file))!);
  };
  const text = "client-secret: s\naccess-token: t\nhttp-header:\n  - 'X-Tenant: blue'\n  - 'Authorization: Bearer x'\n";
  assert.deepEqual(await exposed(text, 0o644), ["client-secret", "access-token", "http-header Authorization"]);
  assert.deepEqual(await exposed(text, 0o604), ["client-secret", "access-token", "http-header Authorization"]);
  assert.deepEqual(await exposed(text, 0o600), []);
  assert.deepEqual(await exposed("endpoint: http://a\nhttp-header: 'X-Tenant: blue'\nsecret: ''\n", 0o644), []);
  assert.deepEqual(await exposed("http-header: 'Cookie: a=b'\n", 0o640), ["http-header Cookie"]);
  assert.deepEqual(await exposed("endpoint: https://admin:pw@hydra:4445\nhttp-header: Authorization\n", 0o644), ["endpoint"]);
  assert.deepEqual(await exposed("endpoint: https://admin@hydra:4445\n", 0o644), []);
});
