// A secret typed at a terminal (`--secret -` with no pipe) or a private key pasted there
// (`--private-key -`, `import jwk SET -`), spawned in a real pseudo-terminal by util-linux's
// `script`, from the sources on this runtime and from the compiled binary: the terminal must
// not show it, must show typing again afterwards, also after Ctrl+C, and the secret must
// reach Hydra as typed, the key sign what is sent or reach Hydra.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, test } from "node:test";
import { cleanEnv, targets } from "../support/cli.ts";
import { serveFakeHydra } from "../support/fake-hydra.ts";
import { serveFakeHydraKeys } from "../support/fake-hydra-keys.ts";
import { startFakeIssuer } from "../support/fake-issuer.ts";
import { es256SignedBy, pkcs8Pem } from "../support/keys.ts";
import { tempDir } from "../support/runtime.ts";

const dir = tempDir();
after(() => dir.remove());

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

interface Typed {
  /** Everything the terminal showed: hydractl's stdout and stderr, and any echo of the typing. */
  shown: string;
  /** hydractl's exit code. */
  code: number;
  /** Whether the terminal echoes typing once hydractl has ended (`stty -a`). */
  echoAfter: boolean;
}

/**
 * Runs hydractl in a new terminal and types `keys` once it prompts (once `prompt` has
 * shown). The shell around it survives a Ctrl+C (`trap`), so that it can report the exit
 * code and the terminal's echo after it. `path` replaces PATH inside, for hydractl's own look for stty.
 */
function typeAtTerminal(command: string[], keys: string, path?: string, prompt = /press Enter/): Promise<Typed> {
  const line = `trap true INT; ${path === undefined ? "" : `PATH=${quote(path)} `}${command.map(quote).join(" ")}; echo "exit=$?"; /bin/stty -a`;
  // SHELL: script runs the line with it; /bin/sh on every system that has script.
  const child = spawn("script", ["-q", "-e", "-c", line, "/dev/null"], { env: { ...cleanEnv({ HOME: dir.path }), SHELL: "/bin/sh" }, stdio: ["pipe", "pipe", "pipe"] });
  let shown = "";
  let typed = false;
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      shown += chunk;
      // Typed only once hydractl has asked: what the terminal got before that, it would echo anyway.
      if (!typed && prompt.test(shown)) {
        typed = true;
        child.stdin!.write(keys);
      }
    });
    child.on("close", () => {
      clearTimeout(timer);
      const code = /exit=(\d+)/.exec(shown);
      if (!code) return reject(new Error(`no exit code in what the terminal showed:\n${shown}`));
      resolve({ shown: shown.slice(0, code.index), code: Number(code[1]), echoAfter: /(^|\s)echo(\s|$)/.test(shown.slice(code.index)) });
    });
  });
}

/** A new P-256 key pair, the private key as the PKCS#8 PEM a user would paste. */
async function pastableKey(): Promise<{ pem: string; publicKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  return { pem: pkcs8Pem(await crypto.subtle.exportKey("pkcs8", pair.privateKey)), publicKey: pair.publicKey };
}

for (const { label, skip, command: hydractl } of targets) {

  test(`${label}: a client secret typed at a terminal is not shown, reaches Hydra, and the terminal shows typing again`, { skip }, async () => {
    const server = await serveFakeHydra({ version: "v2" });
    try {
      const result = await typeAtTerminal([...hydractl, "clients", "create", "--id", "typed", "--secret", "-", "-e", server.url], "typed-secret-42\n");
      assert.equal(result.code, 0, result.shown);
      assert.match(result.shown, /type the client secret and press Enter \(it is not shown\)/);
      assert.doesNotMatch(result.shown, /typed-secret-42/);
      assert.match(result.shown, /OAuth 2\.0 Client ID: typed/);
      assert.equal(server.fake.received.at(-1)?.client_secret, "typed-secret-42");
      assert.ok(result.echoAfter, "the terminal echoes again");
      assert.deepEqual(server.fake.violations, []);
    } finally {
      await server.close();
    }
  });

  test(`${label}: with -q the prompt is still shown, since the command waits for it, and stdout holds the ID alone`, { skip }, async () => {
    const server = await serveFakeHydra({ version: "v2" });
    try {
      const result = await typeAtTerminal([...hydractl, "clients", "create", "-q", "--id", "quiet", "--secret", "-", "-e", server.url], "quiet-secret-9\n");
      assert.equal(result.code, 0, result.shown);
      assert.match(result.shown, /type the client secret and press Enter/);
      assert.doesNotMatch(result.shown, /quiet-secret-9|OAuth 2\.0 Client/);
      assert.match(result.shown, /^quiet\r?$/m);
      assert.equal(server.fake.received.at(-1)?.client_secret, "quiet-secret-9");
    } finally {
      await server.close();
    }
  });

  test(`${label}: Ctrl+C at the secret's prompt ends the command with 130, sends nothing, and the terminal shows typing again`, { skip }, async () => {
    const server = await serveFakeHydra({ version: "v2" });
    try {
      const result = await typeAtTerminal([...hydractl, "clients", "create", "--id", "typed", "--secret", "-", "-e", server.url], "half-typed\x03");
      assert.equal(result.code, 130, result.shown);
      assert.doesNotMatch(result.shown, /half-typed/);
      assert.equal(server.fake.received.length, 0);
      assert.ok(result.echoAfter, "the terminal echoes again");
    } finally {
      await server.close();
    }
  });

  test(`${label}: without stty the prompt says nothing of hiding, and the secret is read all the same`, { skip }, async () => {
    const server = await serveFakeHydra({ version: "v2" });
    try {
      const result = await typeAtTerminal([...hydractl, "clients", "create", "--id", "typed", "--secret", "-", "-e", server.url], "shown-secret-7\n", dir.path);
      assert.equal(result.code, 0, result.shown);
      assert.match(result.shown, /type the client secret and press Enter\r?\n/);
      // The terminal shows it, as it shows any typing: the prompt did not promise otherwise.
      assert.match(result.shown, /shown-secret-7/);
      assert.equal(server.fake.received.at(-1)?.client_secret, "shown-secret-7");
      assert.ok(result.echoAfter);
    } finally {
      await server.close();
    }
  });

  test(`${label}: a private key pasted at a terminal is not shown, signs the client's assertion, and the terminal shows typing again`, { skip }, async () => {
    // Its token endpoint answers with an ID token for the client "demo", which hydractl checks.
    const issuer = await startFakeIssuer();
    try {
      const { pem, publicKey } = await pastableKey();
      const command = [...hydractl, "perform", "client-credentials", "--client-id", "demo", "-e", issuer.issuer, "--private-key", "-", "--format", "jsonpath=token_type"];
      const result = await typeAtTerminal(command, `${pem}\x04`, undefined, /Ctrl\+D/);
      assert.equal(result.code, 0, result.shown);
      assert.match(result.shown, /paste the private key and end with Ctrl\+D on a line of its own \(it is not shown\)/);
      for (const line of pem.trimEnd().split("\n")) assert.ok(!result.shown.includes(line), `the terminal showed ${line}`);
      assert.match(result.shown, /"bearer"/);
      const form = issuer.tokenRequests.at(-1);
      assert.equal(form?.get("client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      assert.ok(await es256SignedBy(form!.get("client_assertion")!, publicKey), "the assertion is signed by the pasted key");
      assert.ok(result.echoAfter, "the terminal echoes again");
    } finally {
      await issuer.close();
    }
  });

  test(`${label}: a key pasted at a terminal for import is not shown, reaches Hydra, and the terminal shows typing again`, { skip }, async () => {
    const server = await serveFakeHydraKeys();
    try {
      const { pem } = await pastableKey();
      const result = await typeAtTerminal([...hydractl, "import", "jwk", "pasted", "-", "--alg", "ES256", "-e", server.url], `${pem}\x04`, undefined, /Ctrl\+D/);
      assert.equal(result.code, 0, result.shown);
      assert.match(result.shown, /paste the key file and end with Ctrl\+D on a line of its own \(it is not shown\)/);
      for (const line of pem.trimEnd().split("\n")) assert.ok(!result.shown.includes(line), `the terminal showed ${line}`);
      const [imported] = server.fake.sets.get("pasted") ?? [];
      assert.equal(imported?.alg, "ES256");
      assert.equal(typeof imported?.d, "string", "the private key reached Hydra");
      assert.ok(result.echoAfter, "the terminal echoes again");
      assert.deepEqual(server.fake.violations, []);
    } finally {
      await server.close();
    }
  });
}
