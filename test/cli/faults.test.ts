// Hostile servers against the command line, from the sources on this runtime and from the
// compiled binary: exit code, wall time (a generous multiple of the budget, to catch a
// budget that is ignored), the one line on stderr, and how many requests arrived.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { binaryPath, run, skipWithoutBinary, targets } from "../support/cli.ts";
import {
  fixedAnswerServer,
  type HostileServer,
  plainHttpServer,
  resetAfterReadServer,
  silentServer,
  tricklingServer,
} from "../support/hostile-server.ts";
import { serveLocal, tempDir } from "../support/runtime.ts";

const home = tempDir();
after(() => home.remove());

const SECRET = "s3cr3t-from-the-server";
const RUNTIME_WORDS = /verbose: true|ECONNRESET|os error|fetch failed|operation timed out|unexpected failure/;

async function withServer(server: HostileServer, body: (server: HostileServer) => Promise<void>): Promise<void> {
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

for (const { label, binary, skip } of targets) {
  const hydractl = async (args: string[]) => {
    const started = Date.now();
    const result = await run(args, { binary, env: { HOME: home.path } });
    return { ...result, ms: Date.now() - started };
  };
  const create = (url: string, ...args: string[]) => hydractl(["clients", "create", "--endpoint", url, ...args]);
  const oneErrorLine = (stderr: string) => {
    const lines = stderr.split("\n").filter(Boolean);
    assert.equal(lines.length, 1, stderr);
    assert.doesNotMatch(stderr, RUNTIME_WORDS);
    return lines[0]!;
  };

  test(`${label}: --fail-after 1s against a silent server ends in about 1s, and says the client may exist`, { skip }, async () => {
    await withServer(await silentServer(), async (server) => {
      const { code, stderr, stdout, ms } = await create(server.url, "--fail-after", "1s");
      assert.equal(code, 1);
      assert.equal(stdout, "");
      assert.equal(server.requests, 1);
      assert.equal(
        oneErrorLine(stderr),
        `Error: ${server.url}/admin/clients did not answer within 1s. The POST may have reached the server and taken effect, so it was not sent again; ` +
          "Hydra chose its ID: look for it with 'hydractl clients list' before creating it again",
      );
      assert.ok(ms < 8000, `took ${ms} ms`);
    });
  });

  test(`${label}: token client --fail-after 1s bounds each exchange (the default is 10s), and sends nothing twice`, { skip }, async () => {
    await withServer(await silentServer(), async (server) => {
      const { code, stderr, stdout, ms } = await hydractl(["token", "client", "--endpoint", server.url, "--client-id", "app", "--client-secret", "a-secret-0123", "-q", "--fail-after", "1s"]);
      assert.equal(code, 1);
      assert.equal(stdout, "");
      assert.equal(server.requests, 1);
      assert.match(oneErrorLine(stderr), /did not answer within 1s$/);
      assert.ok(ms < 8000, `took ${ms} ms`);
    });
  });

  test(`${label}: a 201 whose body trickles in is cut at the budget`, { skip }, async () => {
    await withServer(await tricklingServer(201, 100_000, 100), async (server) => {
      const { code, stderr, ms } = await create(server.url, "--fail-after", "1s", "--id", "slow");
      assert.equal(code, 1);
      assert.match(oneErrorLine(stderr), /did not finish sending its answer within 1s\. Hydra answered 201, so the client was most likely created.*'hydractl clients get slow'/);
      assert.ok(ms < 8000, `took ${ms} ms`);
      // In Hydra v2's words where the run used them.
      const v2 = await hydractl(["create", "client", "--endpoint", server.url, "--fail-after", "1s", "--id", "slow"]);
      assert.match(oneErrorLine(v2.stderr), /'hydractl get client slow' before creating it again$/);
    });
  });

  test(`${label}: a connection reset after the POST was read: sent once, and the ID to check is named`, { skip }, async () => {
    await withServer(await resetAfterReadServer(), async (server) => {
      const { code, stderr } = await create(server.url, "--id", "my-app", "--fail-after", "5s");
      assert.equal(code, 1);
      assert.equal(server.requests, 1);
      assert.equal(
        oneErrorLine(stderr),
        `Error: ${server.url}/admin/clients closed the connection without answering; is it the right server and port? ` +
          "The POST may have reached the server and taken effect, so it was not sent again; check with 'hydractl clients get my-app' before creating it again",
      );
    });
  });

  test(`${label}: import: clients whose POST may have taken effect are named as such, not as not created`, { skip }, async () => {
    await withServer(await resetAfterReadServer(), async (server) => {
      const file = home.write("uncertain.json", JSON.stringify([{ client_id: "u1" }, { client_id: "u2" }]));
      const { code, stderr } = await hydractl(["import", "client", file, "--endpoint", server.url, "--concurrency", "1"]);
      assert.equal(code, 1);
      assert.equal(server.requests, 2);
      const last = stderr.trimEnd().split("\n").at(-1)!;
      assert.equal(last, `Error: 0 of 2 clients created; perhaps created, to check before importing them again (a secret Hydra generated for one was never shown): ${file}[0], ${file}[1] (run again with --skip-existing to finish)`);
      // Without IDs, --skip-existing cannot tell them: the advice would make them twice.
      const unnamed = home.write("unnamed.json", JSON.stringify([{ client_name: "a" }]));
      const again = await hydractl(["import", "client", unnamed, "--endpoint", server.url]);
      assert.match(again.stderr, /\(clients without a client_id would be created again by a second run: import only those named here\)\n$/);
    });
  });

  test(`${label}: get: an answer for another client than the one asked for is printed as sent, and said`, { skip }, async () => {
    await withServer(await fixedAnswerServer(200, '{"client_id":"abc","client_id":"evil"}'), async (server) => {
      const { code, stdout, stderr } = await hydractl(["get", "client", "abc", "--endpoint", server.url, "--format", "jsonpath=client_id"]);
      assert.deepEqual([code, stdout, stderr], [0, '"evil"\n', 'warning: the server answered for client "abc" with the client "evil"\n']);
    });
  });

  test(`${label}: delete: clients whose DELETE may have taken effect are counted as perhaps deleted`, { skip }, async () => {
    await withServer(await resetAfterReadServer(), async (server) => {
      const { code, stderr } = await hydractl(["delete", "client", "d1", "d2", "--endpoint", server.url]);
      assert.equal(code, 1);
      assert.equal(stderr.trimEnd().split("\n").at(-1), "Error: 2 of 2 clients not deleted (d1, d2 perhaps deleted: their answers were lost); 0 deleted");
    });
    // A request that never left (a refused connection) deleted nothing.
    const gone = await serveLocal(() => new Response());
    await gone.close();
    const refused = await hydractl(["delete", "client", "d1", "d2", "--endpoint", gone.url]);
    assert.equal(refused.stderr.trimEnd().split("\n").at(-1), "Error: 2 of 2 clients not deleted; 0 deleted");
  });

  test(`${label}: a truncated 201 carrying a secret quotes the body without it, in every format`, { skip }, async () => {
    await withServer(await fixedAnswerServer(201, `{"client_id":"abc","client_secret":"${SECRET}","redirect_ur`), async (server) => {
      for (const format of ["default", "json", "json-pretty", "yaml", "table", "jsonpath=$.client_secret"]) {
        const { code, stdout, stderr } = await create(server.url, "--format", format);
        assert.equal(code, 1, format);
        assert.equal(stdout, "", format);
        assert.doesNotMatch(stderr, new RegExp(SECRET), format);
        assert.match(oneErrorLine(stderr), /"client_secret":"\[secret\]"/, format);
      }
    });
  });

  test(`${label}: https:// to a plain HTTP port says to use http://`, { skip }, async () => {
    await withServer(await plainHttpServer(), async (server) => {
      const { code, stderr } = await create(`https://127.0.0.1:${server.port}`, "--fail-after", "5s");
      assert.equal(code, 1);
      assert.equal(
        oneErrorLine(stderr),
        `Error: https://127.0.0.1:${server.port}/admin/clients does not speak TLS on this port (plain HTTP?); use http:// instead of https://`,
      );
    });
  });

  test(`${label}: a --fail-after that overflows is a usage error; --config naming a directory says so`, { skip }, async () => {
    const huge = await create("http://127.0.0.1:1", "--fail-after", `${"9".repeat(120_000)}s`);
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /Error: invalid duration "9{40}…" for --fail-after/);
    const config = await create("http://127.0.0.1:1", "--config", home.path);
    assert.equal(config.code, 2);
    assert.match(config.stderr, new RegExp(`Error: config file ${home.path} is a directory, not a file\n$`));
  });

  test(`${label}: an ID of 10 KB is quoted cut short in the one error line`, { skip }, async () => {
    await withServer(await fixedAnswerServer(404, JSON.stringify({ error: "Not Found" })), async (server) => {
      const { code, stderr } = await hydractl(["get", "client", `${"a".repeat(200)}${"b".repeat(9800)}`, "--endpoint", server.url]);
      assert.equal(code, 1);
      assert.equal(oneErrorLine(stderr), `Error: no client "${"a".repeat(199)}…(9762 characters left out)…${"b".repeat(39)}"`);
    });
  });

  test(`${label}: a server that creates a client under another ID than the one asked for is said to have`, { skip }, async () => {
    const answer = JSON.stringify({ client_id: "other", client_secret: "generated-once" });
    const warning = 'warning: the server created the client as "other", not as "mine", the ID asked for\n';
    const file = home.write("mine.json", JSON.stringify({ client_id: "mine" }));
    for (const words of [["clients", "create", "--id", "mine"], ["create", "client", "--id", "mine"], ["clients", "import", file]]) {
      await withServer(await fixedAnswerServer(201, answer), async (server) => {
        const { code, stdout, stderr } = await hydractl([...words, "--endpoint", server.url]);
        assert.equal(code, 0, stderr);
        assert.match(stdout, /other/, words.join(" "));
        assert.equal(stderr.split("\n").filter((line) => line.startsWith("warning: the server")).join("\n") + "\n", warning, words.join(" "));
      });
    }
    await withServer(await fixedAnswerServer(201, answer), async (server) => {
      const { code, stderr } = await create(server.url, "--id", "other");
      assert.equal(code, 0, stderr);
      assert.equal(stderr, "");
    });
  });

  test(`${label}: names and IDs a server chose are shown with their control characters escaped`, { skip }, async () => {
    const client = { client_id: "evil\u001b]0;pwned\u0007", client_name: "\u001b[2Jx\rhidden", redirect_uris: ["http://x/\u001b[8m"] };
    const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    await withServer(await fixedAnswerServer(200, JSON.stringify([client])), async (server) => {
      for (const words of [["clients", "list"], ["list", "clients"], ["list", "clients", "--all"]]) {
        const { code, stdout, stderr } = await hydractl([...words, "--endpoint", server.url]);
        assert.equal(code, 0, stderr);
        assert.doesNotMatch(stdout, CONTROL, words.join(" "));
        assert.match(stdout, /evil\\x1b\]0;pwned\\x07/, words.join(" "));
      }
    });
    await withServer(await fixedAnswerServer(403, JSON.stringify({ error: "request_forbidden", error_description: "\u001b[2Jno such client\u0007" })), async (server) => {
      const { code, stderr } = await hydractl(["get", "client", "x", "--endpoint", server.url]);
      assert.equal(code, 1);
      assert.doesNotMatch(stderr, CONTROL);
      assert.match(oneErrorLine(stderr), /\\x1b\[2Jno such client\\x07/);
    });
    // Hydra v1.8's lines take the server's ID whole: a line break in it forges no line of ours;
    // nor does a name that turns itself around read as another.
    await withServer(await fixedAnswerServer(201, JSON.stringify({ client_id: "id\nOAuth 2.0 Client Secret: forged", client_secret: "s" })), async (server) => {
      const { code, stdout } = await create(server.url);
      assert.equal(code, 0);
      assert.equal(stdout, "OAuth 2.0 Client ID: id\\x0aOAuth 2.0 Client Secret: forged\nOAuth 2.0 Client Secret: s\n");
    });
    await withServer(await fixedAnswerServer(200, JSON.stringify([{ client_id: "invoice\u202efdp.exe" }])), async (server) => {
      const { stdout } = await hydractl(["list", "clients", "--endpoint", server.url]);
      assert.match(stdout, /invoice\\u202efdp\.exe/);
    });
  });

  test(`${label}: a device flow's code and address from the provider are shown with control characters escaped`, { skip }, async () => {
    let issuer = "";
    let forged = false;
    const provider = await serveLocal(async (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/.well-known/openid-configuration") {
        return Response.json({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, device_authorization_endpoint: `${issuer}/device`, response_types_supported: ["code"] });
      }
      if (path === "/device") {
        if (forged) return Response.json({ device_code: "d", user_code: "x", verification_uri: "javascript:alert(1)", expires_in: 60, interval: 1 });
        return Response.json({ device_code: "d", user_code: "AB\u001b[8mCD\r\nTo sign in, open https://evil.example", verification_uri: `${issuer}/go\u001b]0;pwned\u0007`, expires_in: 60, interval: 1 });
      }
      return Response.json({ access_token: "at", token_type: "Bearer", expires_in: 60 });
    });
    issuer = provider.url;
    try {
      const { code, stderr } = await hydractl(["perform", "device-code", "-e", issuer, "--client-id", "demo", "--scope", "profile"]);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      assert.match(stderr, /enter the code AB\\x1b\[8mCD\\x0d\\x0aTo sign in, open https:\/\/evil\.example\n/);
      // The page the user is sent to is a page.
      forged = true;
      const page = await hydractl(["perform", "device-code", "-e", issuer, "--client-id", "demo"]);
      assert.equal(page.code, 1);
      assert.equal(oneErrorLine(page.stderr), "Error: the device authorization endpoint gave a verification_uri that is not an http(s) URL");
    } finally {
      await provider.close();
    }
  });

  test(`${label}: perform with a broken discovery document fails before announcing pages or opening a browser`, { skip }, async () => {
    const answers: [string, string, RegExp][] = [
      ["garbage", "text/plain", /OpenID discovery at .* failed/],
      ["<html><body>Login</body></html>", "text/html", /OpenID discovery at .* failed/],
      ['{"issuer":"https://other.example","authorization_endpoint":"https://other.example/auth"}', "application/json", /announces the issuer "https:\/\/other.example"/],
    ];
    for (const [body, type, message] of answers) {
      await withServer(await fixedAnswerServer(200, body, type), async (server) => {
        const { code, stderr, stdout } = await hydractl(["perform", "authorization-code", "-e", server.url, "--client-id", "demo", "--port", "0", "--no-open"]);
        assert.equal(code, 1, stderr);
        assert.equal(stdout, "");
        assert.match(oneErrorLine(stderr), message);
        assert.doesNotMatch(stderr, /Home page|If no browser opens/);
      });
    }
  });

  test(`${label}: a password in the endpoint's URL is shown in no error, whatever went wrong`, { skip }, async () => {
    const notHydra = await serveLocal(() => new Response("404 page not found\n", { status: 404, headers: { "Content-Type": "text/plain" } }));
    try {
      const withPassword = notHydra.url.replace("://", "://admin:pa55-w0rd@");
      for (const [args, env, code] of [
        [["clients", "list", "--endpoint", `${withPassword}/x`], {}, 1],
        [["token", "flush", "--endpoint", withPassword], {}, 1],
        [["clients", "list"], { HYDRA_ADMIN_URL: "htp://admin:pa55-w0rd@127.0.0.1:1" }, 2],
        [["clients", "list", "--endpoint", "http://admin:pa55-w0rd@127.0.0.1:0"], {}, 2],
      ] as const) {
        const result = await run([...args], { binary, env: { HOME: home.path, ...env } });
        assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /pa55-w0rd/, args.join(" "));
        assert.match(result.stderr, /admin:\[secret\]@/, args.join(" "));
      }
      // One that does not decode would be left out of the request: refused, without quoting it.
      const undecodable = await run(["clients", "list", "--endpoint", notHydra.url.replace("://", "://admin:pa55%zzw0rd@")], { binary, env: { HOME: home.path } });
      assert.deepEqual([undecodable.code, undecodable.stderr.split("\n")[0]], [2, "Error: invalid --endpoint: the user or password in its URL is not validly percent-encoded (write a % as %25)"]);
    } finally {
      await notHydra.close();
    }
  });
}

test("standard input or a pipe that never ends (/dev/zero) is refused at a bound, before anything is sent", async () => {
  const server = await silentServer();
  try {
    for (const { label, skip, command } of targets) {
      if (skip) continue;
      for (const [flags, what] of [
        [["--secret", "-", "--id", "x"], "the client secret"],
        [["--file", "-"], "the client file"],
      ] as const) {
        const args = [...command, "clients", "create", ...flags, "--endpoint", server.url];
        const result = await run(["-c", 'exec "$@" < /dev/zero', "bash", ...args], { binary: "/bin/bash", env: { HOME: home.path } });
        assert.equal(result.code, 1, `${label}: ${result.stderr}`);
        assert.equal(result.stderr, `Error: ${what} on stdin is larger than 64 MiB; nothing was sent\n`, label);
      }
      // The same stream as a file, through the shell's <(…): a pipe, with no size to bound it.
      for (const [flag, message, code] of [
        ["--file", "the client file /dev/fd/63 is not a regular file and holds more than 64 MiB", 1],
        // A config file is bounded tighter: flag values fill a few lines.
        ["--config", "config file /dev/fd/63 holds more than 1 MiB", 2],
      ] as const) {
        const args = [...command, "clients", "create", "--id", "x", "--endpoint", server.url, flag];
        const result = await run(["-c", 'exec "$@" <(cat /dev/zero)', "bash", ...args], { binary: "/bin/bash", env: { HOME: home.path } });
        assert.equal(result.code, code, `${label} ${flag}: ${result.stderr}`);
        assert.equal(result.stderr.split("\n")[0], `Error: ${message}`, `${label} ${flag}`);
      }
      // A device is read like a pipe, not reported missing (Bun's exists() is false for one).
      for (const [flag, message, code] of [
        ["--file", "the client file /dev/zero is not a regular file and holds more than 64 MiB", 1],
        ["--config", "config file /dev/zero holds more than 1 MiB", 2],
      ] as const) {
        const result = await run([...command, "clients", "create", "--id", "x", "--endpoint", server.url, flag, "/dev/zero"], { binary: "/usr/bin/env", env: { HOME: home.path } });
        assert.equal(result.code, code, `${label} ${flag}: ${result.stderr}`);
        assert.equal(result.stderr.split("\n")[0], `Error: ${message}`, `${label} ${flag}`);
      }
      // A folder on stdin (`< /etc`), for a file, a secret and a token alike.
      for (const args of [["clients", "create", "--file", "-"], ["clients", "create", "--id", "x", "--secret", "-"], ["introspect", "token", "-"]]) {
        const result = await run(["-c", 'exec "$@" < /etc', "bash", ...command, ...args, "--endpoint", server.url], { binary: "/bin/bash", env: { HOME: home.path } });
        assert.deepEqual([result.code, result.stderr], [1, "Error: stdin is a directory, not a file or a pipe\n"], `${label} ${args.join(" ")}`);
      }
      const empty = await run([...command, "clients", "create", "--endpoint", server.url, "--file", "/dev/null"], { binary: "/usr/bin/env", env: { HOME: home.path } });
      assert.equal(empty.code, 1, `${label}: ${empty.stderr}`);
      assert.equal(empty.stderr, "Error: the client file /dev/null is empty\n", label);
      // `--config /dev/null`, the usual way to say "no config file", is an empty one.
      const dry = await run([...command, "clients", "create", "--id", "x", "--endpoint", server.url, "--config", "/dev/null", "--dry-run"], { binary: "/usr/bin/env", env: { HOME: home.path } });
      assert.equal(dry.code, 0, `${label}: ${dry.stderr}`);
    }
    assert.equal(server.requests, 0);
  } finally {
    await server.close();
  }
});

test("stdin named for two inputs is refused in one line, with exit 2, before anything is read or sent", async () => {
  await withServer(await silentServer(), async (server) => {
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      for (const [args, readers] of [
        [["clients", "create", "--file", "-", "--secret", "-"], "--file - and --secret -"],
        [["import", "client", "-", "-"], "- twice"],
        [["clients", "import", "-", "-", "-"], "- 3 times"],
        [["import", "jwk", "set", "-", "-", "--alg", "ES256"], "- twice"],
      ] as const) {
        // Something stdin could hold: no part of it is read.
        const result = await run([...args, "--endpoint", server.url], { binary, env: { HOME: home.path }, stdin: '{"client_id": "x"}' });
        assert.equal(result.code, 2, `${label} ${args.join(" ")}: ${result.stderr}`);
        assert.match(result.stderr, new RegExp(`^Error: only one input can come from stdin, not ${readers}\nSee 'hydractl ${args.slice(0, 2).join(" ")} --help' for usage\.\n$`), `${label} ${args.join(" ")}`);
      }
    }
    assert.equal(server.requests, 0);
  });
});

test("an ID of . or .., or holding /, is refused before anything is sent: it would name another route", async () => {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const keyFile = home.write("dot-kid.json", JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.publicKey)), kid: "..", alg: "ES256" }));
  await withServer(await silentServer(), async (server) => {
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      for (const [args, what] of [
        [["delete", "client", "a", ".."], 'ID ".."'],
        [["clients", "get", "."], 'ID "."'],
        [["update", "client", "..", "-n", "x"], 'ID ".."'],
        [["patch", "client", "..", "--replace", "/client_name", '"x"'], 'ID ".."'],
        [["delete", "jwks", "s", ".."], 'SET ".."'],
        [["keys", "get", "."], 'SET "."'],
        [["create", "jwks", "..", "--alg", "ES256"], 'SET ".."'],
        [["import", "jwk", ".", keyFile], 'SET "."'],
      ] as const) {
        const result = await run([...args, "--endpoint", server.url], { binary, env: { HOME: home.path } });
        assert.equal(result.code, 2, `${label} ${args.join(" ")}: ${result.stderr}`);
        assert.equal(result.stderr.split("\n")[0], `Error: invalid ${what}: a URL path cannot carry . or .. as an ID`, `${label} ${args.join(" ")}`);
      }
      // Hydra's router reads an escaped / as a separator: `../keys/s` would be a key set.
      for (const [args, what] of [
        [["delete", "client", "../keys/s"], 'ID "../keys/s"'],
        [["keys", "delete", "a/b"], 'SET "a/b"'],
      ] as const) {
        const result = await run([...args, "--endpoint", server.url], { binary, env: { HOME: home.path } });
        assert.equal(result.code, 2, `${label} ${args.join(" ")}: ${result.stderr}`);
        assert.equal(result.stderr.split("\n")[0], `Error: invalid ${what}: Hydra's admin API cannot name an ID holding "/" (its router splits the path there)`, label);
      }
      const kid = await run(["import", "jwk", "s", keyFile, "--endpoint", server.url], { binary, env: { HOME: home.path } });
      assert.equal(kid.code, 1, `${label}: ${kid.stderr}`);
      assert.equal(kid.stderr, `Error: ${keyFile}: the key ID ".." cannot go in a URL path\n`, label);
    }
    assert.equal(server.requests, 0);
  });
});

test("a token or header value no HTTP header can carry is refused as written, before anything is sent", async () => {
  const unfit = "holds a line break, a NUL or a character beyond Latin-1, which no HTTP header can carry";
  await withServer(await silentServer(), async (server) => {
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      for (const [args, env, message] of [
        [["get", "client", "a", "--access-token", "a\nb"], {}, `invalid --access-token: it ${unfit}`],
        [["get", "client", "a"], { OAUTH2_ACCESS_TOKEN: "日本" }, `invalid OAUTH2_ACCESS_TOKEN: it ${unfit}`],
        [["list", "clients", "-H", "X-Tenant: 日本"], {}, `invalid header "X-Tenant" for -H: its value ${unfit}`],
        [["token", "userinfo", "日本"], {}, `the access token ${unfit}`],
      ] as const) {
        const result = await run([...args, "--endpoint", server.url], { binary, env: { HOME: home.path, ...env } });
        assert.equal(result.code, 2, `${label} ${args.join(" ")}: ${result.stderr}`);
        assert.equal(result.stderr.split("\n")[0], `Error: ${message}`, `${label} ${args.join(" ")}`);
      }
    }
    assert.equal(server.requests, 0);
  });
});

test("a port Deno's fetch will not send to (6000, which the Fetch standard blocks) fails at once there, not retried; on Bun it is an ordinary closed port", async () => {
  const result = await run(["get", "client", "a", "--endpoint", "http://127.0.0.1:6000", "--fail-after", "2s"], { env: { HOME: home.path } });
  assert.equal(result.code, 1);
  if ("Deno" in globalThis) {
    assert.equal(result.stderr, "Error: cannot reach http://127.0.0.1:6000/admin/clients/a: Fetch failed: Requests to port 6000 are blocked\n");
  } else {
    assert.match(result.stderr, /connection refused.*\(gave up after 2s/s);
  }
});

test("NO_PROXY as hydractl reads it (host:port, *, spaces, an address's suffix) sends the request direct, past a proxy that is down, on each runtime", async () => {
  const gone = await serveLocal(() => new Response());
  await gone.close();
  const server = await serveLocal(() => Response.json({ client_id: "a" }));
  try {
    const { host } = new URL(server.url);
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      // Neither runtime's own fetch reads the last two as hydractl does (it sent them to the proxy).
      for (const noProxy of [host, "*", "other.example 127.0.0.1", ".0.0.1", "*.0.0.1"]) {
        const direct = await run(["get", "client", "a", "--endpoint", server.url, "-q", "--fail-after", "0"], { binary, env: { HOME: home.path, HTTP_PROXY: gone.url, NO_PROXY: noProxy } });
        assert.deepEqual([direct.code, direct.stdout, direct.stderr], [0, "a\n", ""], `${label} NO_PROXY=${noProxy}`);
      }
    }
  } finally {
    await server.close();
  }
});

test("a proxy variable no request can go through is said once, exit 2, with nothing sent; a proxy that is down, or never answers, is named", async () => {
  const gone = await serveLocal(() => new Response());
  await gone.close();
  await withServer(await silentServer(), async (hanging) => {
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      const env = { HOME: home.path, HTTP_PROXY: hanging.url };
      const slow = await run(["get", "client", "a", "--endpoint", "http://hydra.invalid:4445", "--fail-after", "1s"], { binary, env });
      assert.equal(slow.code, 1, label);
      assert.match(slow.stderr, /^Error: http:\/\/hydra\.invalid:4445\/admin\/clients\/a did not answer within 1s \(through the proxy HTTP_PROXY names\) \(gave up after 1s/, label);
    }
  });
  await withServer(await silentServer(), async (server) => {
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      const socks = await run(["get", "client", "a", "--endpoint", server.url], { binary, env: { HOME: home.path, HTTP_PROXY: "socks5://u:pw@127.0.0.1:1080" } });
      assert.deepEqual([socks.code, socks.stderr], [2, "Error: HTTP_PROXY names a socks5:// proxy; hydractl goes through http:// and https:// proxies only\n"], label);
      const all = await run(["get", "client", "a", "--endpoint", server.url], { binary, env: { HOME: home.path, ALL_PROXY: "socks5://u:pw@127.0.0.1:1080" } });
      assert.deepEqual([all.code, all.stderr], [2, "Error: ALL_PROXY names a socks5:// proxy; hydractl goes through http:// and https:// proxies only\n"], label);
      const down = await run(["get", "client", "a", "--endpoint", server.url], { binary, env: { HOME: home.path, HTTP_PROXY: gone.url } });
      assert.equal(down.code, 1, label);
      assert.match(
        down.stderr,
        /^Error: cannot connect to the proxy HTTP_PROXY names, on the way to http:\/\/127\.0\.0\.1:\d+\/admin\/clients\/a: connection refused; is the proxy running, and is its port right\? \(NO_PROXY=127\.0\.0\.1 sends requests to this machine directly\) \(one attempt, no retry/,
        label,
      );
      const nowhere = await run(["get", "client", "a", "--endpoint", server.url], { binary, env: { HOME: home.path, HTTP_PROXY: "http://u:pw@proxy.invalid:3128" } });
      assert.equal(nowhere.code, 1, label);
      assert.match(nowhere.stderr, /^Error: cannot connect to the proxy HTTP_PROXY names, on the way to .*: its host name does not resolve; is it spelled right\?/, label);
      assert.ok(!nowhere.stderr.includes("pw"), label);
    }
    assert.equal(server.requests, 0);
  });
});

test("a proxy that quotes the request back shows its own credentials in no form: as written, decoded, or as the header's base64", async () => {
  const proxy = await serveLocal((request) => {
    const header = request.headers.get("proxy-authorization") ?? "";
    const decoded = atob(header.replace(/^Basic /, ""));
    return new Response(`bad credentials ${decoded} (${header.replace(/^Basic /, "")})`, { status: 407, headers: { "Content-Type": "text/plain" } });
  });
  try {
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      const proxyUrl = proxy.url.replace("http://", "http://puser:pa%24%24word-9@");
      const result = await run(["get", "client", "a", "--endpoint", "http://hydra.example:4445"], { binary, env: { HOME: home.path, HTTP_PROXY: proxyUrl } });
      assert.equal(result.code, 1, label);
      assert.match(result.stderr, /407/, label);
      assert.match(result.stderr, /puser:\[secret\] \(\[secret\]\)/, label);
      for (const shown of ["pa$$word-9", "pa%24%24word-9", btoa("puser:pa$$word-9")]) assert.ok(!result.stderr.includes(shown), `${label}: ${shown} in ${result.stderr}`);
    }
  } finally {
    await proxy.close();
  }
});

test("an https:// proxy that speaks plain HTTP is named as the one at fault, not the server, and never quoted", async () => {
  // A plain-HTTP server as the proxy: the TLS handshake with it is what fails.
  const plain = await serveLocal(() => new Response("not a proxy"));
  try {
    const proxyUrl = plain.url.replace("http://", "https://u:pw@");
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      const http = await run(["get", "client", "a", "--endpoint", "http://127.0.0.1:4999"], { binary, env: { HOME: home.path, HTTP_PROXY: proxyUrl } });
      assert.equal(http.code, 1, label);
      assert.match(
        http.stderr,
        /^Error: cannot connect to the proxy HTTP_PROXY names, on the way to http:\/\/127\.0\.0\.1:4999\/admin\/clients\/a: it does not speak TLS \(plain HTTP\?\); write its URL http:\/\/ instead of https:\/\/\n$/,
        label,
      );
      // To an https:// server, the TLS that fails may be the server's, behind the proxy.
      const https = await run(["get", "client", "a", "--endpoint", "https://127.0.0.1:4999"], { binary, env: { HOME: home.path, HTTPS_PROXY: proxyUrl } });
      assert.equal(https.code, 1, label);
      assert.match(https.stderr, /^Error: the proxy HTTPS_PROXY names, or https:\/\/127\.0\.0\.1:4999\/admin\/clients\/a behind it, does not speak TLS \(plain HTTP\?\); the proxy's https:\/\/ URL is reached over TLS first/, label);
      assert.ok(!`${http.stderr}${https.stderr}`.includes("pw"), label);
    }
  } finally {
    await plain.close();
  }
});

test("an argument that is not UTF-8 is refused, naming the flag, before anything is sent", { skip: skipWithoutBinary }, async () => {
  // The byte 0xff cannot come through node's spawn, which encodes strings as UTF-8: bash
  // puts it on the command line itself.
  const server = await silentServer();
  try {
    for (const [words, named] of [
      [`clients create -n "a$(printf '\\377')b"`, "-n"],
      [`clients get "id$(printf '\\377')"`, "ID"],
    ] as const) {
      const result = await run(["-c", `exec "$0" ${words} --endpoint ${server.url}`, binaryPath], { binary: "/bin/bash" });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`^Error: invalid value for ${named}: it holds bytes that are not UTF-8\\n`));
      assert.equal(server.requests, 0);
    }
  } finally {
    await server.close();
  }
});

for (const target of targets) {
  test(`an environment value that is not UTF-8 is refused, naming the variable, not quoting it (${target.label})`, { skip: target.skip }, async () => {
    // Deno's own reading of such a variable throws, with the value in its message.
    const server = await silentServer();
    try {
      const result = await run(
        ["-c", `OAUTH2_CLIENT_SECRET="s3cr3t$(printf '\\377')" exec "$@"`, "sh", ...target.command, "perform", "client-credentials", "--client-id", "svc", "--token-url", `${server.url}/token`],
        { binary: "/bin/bash" },
      );
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr, "Error: invalid value for OAUTH2_CLIENT_SECRET: it holds bytes that are not UTF-8\nSee 'hydractl perform client-credentials --help' for usage.\n");
      assert.equal(server.requests, 0);
    } finally {
      await server.close();
    }
  });
}

test("a server that quotes the request's headers back shows no credential given with -H, nor does HYDRACTL_DEBUG's trace", async () => {
  const echo = await serveLocal((request) => Response.json({ error: "bad_request", error_description: `got ${JSON.stringify(Object.fromEntries(request.headers))}` }, { status: 400 }));
  try {
    const secrets = ["sid=COOKIESECRET", "HDRSECRET99", "TOKSEC", "SESSSEC", "BEARERSECRET1"];
    const headers = ["Cookie: sid=COOKIESECRET", "X-Api-Key: HDRSECRET99", "X-Auth-Token: TOKSEC", "X-Session: SESSSEC", "Authorization: Bearer BEARERSECRET1"];
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      for (const debug of ["", "1"]) {
        const args = ["get", "client", "x", "--endpoint", echo.url, ...headers.flatMap((header) => ["-H", header])];
        const result = await run(args, { binary, env: { HOME: home.path, HYDRACTL_DEBUG: debug } });
        assert.equal(result.code, 1, `${label}: ${result.stderr}`);
        assert.match(result.stderr, /\[secret\]/, `${label}: the headers were quoted`);
        for (const secret of secrets) assert.ok(!result.stderr.includes(secret), `${label}${debug && " (debug)"} showed ${secret}: ${result.stderr}`);
      }
    }
  } finally {
    await echo.close();
  }
});

test("a server that quotes Basic credentials back decoded shows none: an endpoint URL's, a variable's, -H's; nor does a URL too broken to parse", async () => {
  const echo = await serveLocal((request) => {
    const credential = (request.headers.get("authorization") ?? "").replace(/^Basic /, "");
    return Response.json({ error: "bad_request", error_description: `client auth ${atob(credential)}` }, { status: 400 });
  });
  try {
    const withUser = (user: string) => echo.url.replace("http://", `http://${user}@`);
    for (const { label, skip, binary } of targets) {
      if (skip) continue;
      const cases: [string[], Record<string, string>, string[]][] = [
        [["--endpoint", withUser("eve:endpointPW")], {}, ["endpointPW"]],
        [[], { HYDRA_ADMIN_URL: withUser("ops:pw") }, ["ops:pw"]],
        [["--endpoint", withUser("ONLYTOKEN9")], {}, ["ONLYTOKEN9"]],
        [["--endpoint", echo.url, "-H", `Authorization: Basic ${btoa("hdruser:hdrPassw0rd")}`], {}, ["hdrPassw0rd"]],
      ];
      for (const [flags, env, secrets] of cases) {
        const result = await run(["get", "client", "a", ...flags], { binary, env: { HOME: home.path, ...env } });
        assert.equal(result.code, 1, `${label}: ${result.stderr}`);
        assert.match(result.stderr, /client auth /, label);
        for (const secret of secrets) assert.ok(!result.stderr.includes(secret), `${label} showed ${secret}: ${result.stderr}`);
      }
      // Without its scheme the URL is no URL: the error quotes it with what reads as its password hidden.
      const schemeless = await run(["get", "client", "a", "-e", "eve:retryPW@127.0.0.1:7798"], { binary, env: { HOME: home.path } });
      assert.deepEqual([schemeless.code, schemeless.stderr.split("\n")[0]], [2, 'Error: invalid -e "eve:[secret]@127.0.0.1:7798": expected an http(s) URL such as http://127.0.0.1:4445'], label);
    }
  } finally {
    await echo.close();
  }
});

test("a deletion answered 200 with a page (a login page, a gateway's catch-all) is not taken for done; a 200 with nothing is", async () => {
  let page = true;
  // delete jwks reads the set first; token flush is a POST.
  const server = await serveLocal((request) =>
    request.method === "GET"
      ? Response.json({ keys: [] })
      : page
        ? new Response("<html>Login please</html>", { headers: { "Content-Type": "text/html" } })
        : new Response(null, { status: 200 }),
  );
  try {
    for (const args of [["delete", "client", "abc"], ["clients", "delete", "abc"], ["delete", "jwks", "set"], ["delete", "access-tokens", "cid"], ["token", "flush"]]) {
      page = true;
      const refused = await run([...args, "--endpoint", server.url], { env: { HOME: home.path } });
      assert.equal(refused.code, 1, `${args.join(" ")}: ${refused.stdout}`);
      assert.match(refused.stderr, /answered 200 with a body \(text\/html\) where Hydra answers 204 with none; is the endpoint Hydra's admin API\? <html>Login please<\/html>/, args.join(" "));
      assert.doesNotMatch(refused.stdout, /deleted|abc|flushed/i, args.join(" "));
      page = false;
      const done = await run([...args, "--endpoint", server.url], { env: { HOME: home.path } });
      assert.equal(done.code, 0, `${args.join(" ")}: ${done.stderr}`);
    }
  } finally {
    await server.close();
  }
});

test("an import whose answers cannot be shown in the format (nested too deeply to write) still says what was created", async () => {
  const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
  const server = await serveLocal(async (request) => {
    const { client_id } = (await request.json()) as { client_id: string };
    return new Response(`{"client_id":"${client_id}","metadata":${deep}}`, { status: 201, headers: { "Content-Type": "application/json" } });
  });
  try {
    const file = home.write("two.json", JSON.stringify([{ client_id: "one" }, { client_id: "two" }]));
    const result = await run(["import", "client", file, "--endpoint", server.url, "--format", "json"], { env: { HOME: home.path } });
    // Bun's engine cannot write it back; where the engine can (Deno's), it is shown.
    if ("Bun" in globalThis) assert.notEqual(result.code, 0, result.stdout.slice(0, 100));
    if (result.code !== 0) {
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Error: the answer is nested too deeply to be shown in this format: 2 of 2 clients created; created but not shown, with any secret Hydra generated for them: one, two\n$/);
    }
  } finally {
    await server.close();
  }
});

test("a gateway's own JSON 404 is its error, not an unknown client or key set", async () => {
  const gateway = await serveLocal(() => Response.json({ message: "no Route matched with those values" }, { status: 404 }));
  try {
    for (const args of [["get", "client", "abc"], ["delete", "client", "abc"], ["get", "jwks", "s"], ["delete", "jwks", "s"]]) {
      const result = await run([...args, "--endpoint", gateway.url], { env: { HOME: home.path } });
      assert.equal(result.code, 1, args.join(" "));
      assert.match(result.stderr, /failed: 404 Not Found: .*no Route matched with those values/, args.join(" "));
      assert.doesNotMatch(result.stderr, /no client|no JSON Web Key Set/, args.join(" "));
    }
  } finally {
    await gateway.close();
  }
});

test("a redirect that is not followed says where it points, without its query; an endpoint with a query is named as such", async () => {
  const moved = await serveLocal(() => new Response(null, { status: 302, headers: { Location: "https://elsewhere.example/login?code=not-to-be-shown" } }));
  try {
    const result = await run(["get", "client", "x", "--endpoint", moved.url], { env: { HOME: home.path } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error: .*302 Found: it points to https:\/\/elsewhere\.example\/login, which hydractl does not follow \(is the endpoint right\?\)\n$/);
    assert.doesNotMatch(result.stderr, /not-to-be-shown/);
  } finally {
    await moved.close();
  }
  const query = await run(["get", "client", "x", "--endpoint", "http://127.0.0.1:4445/?x=1"], { env: { HOME: home.path } });
  assert.equal(query.code, 2);
  assert.match(query.stderr, /^Error: invalid --endpoint "http:\/\/127\.0\.0\.1:4445\/\?x=1": an endpoint has no query or fragment \(\?…\); give its base URL\n/);
});
