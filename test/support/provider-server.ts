/**
 * Local OpenID Connect provider for tests (oidc-provider v9), run with Bun:
 *
 *   bun test/support/provider-server.ts [--port N] [--clients JSON] [--redirect-uri URI]...
 *
 * --port N            port to listen on at 127.0.0.1 (default 0 = any free port)
 * --clients JSON      JSON array of oidc-provider client metadata; replaces the default clients
 * --redirect-uri URI  (repeatable) extra exact redirect URI added to every default client
 *                     (ignored when --clients is given: those clients bring their own)
 * --exit-on-stdin-close  exit when stdin reaches EOF (test/support/provider.ts uses it so
 *                     the provider never outlives a test runner that died without close())
 * --require-par       every authorization request must come by PAR (RFC 9126), as the
 *                     metadata then says (require_pushed_authorization_requests)
 *
 * When ready it prints one line of JSON on stdout: {"issuer":"http://127.0.0.1:PORT"}
 * and runs until SIGTERM/SIGINT. Everything else (oidc-provider notices and warnings)
 * goes to stderr, so stdout carries only that line.
 *
 * Default clients:
 *   demo           secret "demo-secret", client_secret_basic, authorization_code + refresh_token
 *   post-client    secret "post-secret", client_secret_post, authorization_code + refresh_token
 *   public-client  no secret (token_endpoint_auth_method "none", so PKCE is required),
 *                  authorization_code + refresh_token
 *   par-client     secret "par-secret", as demo, and its authorization requests only by PAR
 *   service        secret "service-secret", client_secret_basic, client_credentials only
 *   device         no secret, the device flow (RFC 8628) + refresh_token; its userinfo
 *                  answers are signed JWTs (RS256)
 *
 * Redirect URIs on loopback with any port: oidc-provider compares redirect_uri
 * exactly, and its own port relaxation (RFC 8252 §7.3) only applies to clients with
 * application_type "native" and http URIs (it rejects https://127.0.0.1 for native
 * clients altogether). So the clients stay "web" clients registered with port-less
 * loopback URIs (http and https, for 127.0.0.1, localhost and [::1]), and this script
 * replaces Client.prototype.redirectUriAllowed so that a requested redirect_uri whose
 * host is a loopback name and whose scheme is http or https matches a registered one
 * that differs only by port. This applies to every client, including ones given with
 * --clients. Exact matches keep working as before. The token endpoint still checks
 * that redirect_uri equals the one used at the authorization endpoint.
 *
 * Denial: devInteractions renders a "[ Cancel ]" link (GET /interaction/<uid>/abort)
 * on both the login and the consent page; following it finishes the interaction
 * with error=access_denied, which is sent back to the client's redirect_uri.
 */

// oidc-provider prints notices with console.info (stdout): keep stdout for the
// ready line only.
console.info = (...args: unknown[]) => console.error(...args);
console.log = (...args: unknown[]) => console.error(...args);

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPair } from "node:crypto";
import { parseArgs, promisify } from "node:util";

if (!(process.versions as Record<string, string | undefined>).bun) {
  console.error("provider-server.ts must be run with Bun");
  process.exit(2);
}

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    port: { type: "string", default: "0" },
    clients: { type: "string" },
    "redirect-uri": { type: "string", multiple: true, default: [] },
    "exit-on-stdin-close": { type: "boolean", default: false },
    "require-par": { type: "boolean", default: false },
  },
  strict: true,
});

const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port: ${args.port}`);
  process.exit(2);
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const LOOPBACK_REDIRECT_URIS = ["http", "https"].flatMap((scheme) =>
  [...LOOPBACK_HOSTS].map((host) => `${scheme}://${host}/callback`)
);

function defaultClients(
  extraRedirectUris: string[],
): Record<string, unknown>[] {
  const redirect_uris = [...LOOPBACK_REDIRECT_URIS, ...extraRedirectUris];
  const common = {
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    redirect_uris,
    post_logout_redirect_uris: redirect_uris,
  };
  return [
    {
      client_id: "demo",
      client_secret: "demo-secret",
      token_endpoint_auth_method: "client_secret_basic",
      ...common,
    },
    {
      client_id: "post-client",
      client_secret: "post-secret",
      token_endpoint_auth_method: "client_secret_post",
      ...common,
    },
    {
      client_id: "public-client",
      token_endpoint_auth_method: "none",
      ...common,
    },
    {
      // Takes authorization requests only by PAR (RFC 9126).
      client_id: "par-client",
      client_secret: "par-secret",
      token_endpoint_auth_method: "client_secret_basic",
      require_pushed_authorization_requests: true,
      ...common,
    },
    {
      client_id: "service",
      client_secret: "service-secret",
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: "device",
      token_endpoint_auth_method: "none",
      userinfo_signed_response_alg: "RS256",
      grant_types: ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
      response_types: [],
      redirect_uris: [],
    },
  ];
}

let clients: Record<string, unknown>[];
if (args.clients !== undefined) {
  try {
    clients = JSON.parse(args.clients);
  } catch (err) {
    console.error(`invalid --clients JSON: ${(err as Error).message}`);
    process.exit(2);
  }
  if (!Array.isArray(clients)) {
    console.error("--clients must be a JSON array of client metadata objects");
    process.exit(2);
  }
} else {
  clients = defaultClients(args["redirect-uri"] ?? []);
}

function loopbackWithoutPort(uri: string): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return undefined;
  }
  if (
    (u.protocol !== "http:" && u.protocol !== "https:") ||
    !LOOPBACK_HOSTS.has(u.hostname)
  ) {
    return undefined;
  }
  u.port = "";
  return u.href;
}

// Signing keys generated at each start: RS256 (the default ID token alg) and ES256.
// Generated asynchronously, in parallel with loading oidc-provider (RSA takes ~100 ms).
const generateKeyPairAsync = promisify(generateKeyPair);
async function privateJwk(kind: "rsa" | "ec", kid: string, alg: string) {
  const { privateKey } = kind === "rsa"
    ? await generateKeyPairAsync("rsa", { modulusLength: 2048 })
    : await generateKeyPairAsync("ec", { namedCurve: "P-256" });
  return { ...privateKey.export({ format: "jwk" }), kid, alg, use: "sig" };
}

const claimsOf = (sub: string) => ({
  sub,
  name: `${sub[0]?.toUpperCase() ?? ""}${sub.slice(1)} Example`,
  given_name: `${sub[0]?.toUpperCase() ?? ""}${sub.slice(1)}`,
  family_name: "Example",
  preferred_username: sub,
  email: `${sub}@example.com`,
  email_verified: true,
});

const [rsaKey, ecKey, { default: Provider }] = await Promise.all([
  privateJwk("rsa", "rs256-key", "RS256"),
  privateJwk("ec", "es256-key", "ES256"),
  import("oidc-provider"),
]);
const jwks = { keys: [rsaKey, ecKey] };

const server = createServer();
await new Promise<void>((resolve, reject) => {
  server.once("error", reject);
  server.listen(port, "127.0.0.1", () => resolve());
});
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// deno-lint-ignore no-explicit-any
const configuration: any = {
  clients,
  jwks,
  cookies: {
    keys: ["hydractl-test-cookie-key-1", "hydractl-test-cookie-key-2"],
  },
  scopes: ["openid", "offline_access", "profile", "email"],
  claims: {
    openid: ["sub"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
    email: ["email", "email_verified"],
  },
  responseTypes: ["code"],
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    deviceFlow: { enabled: true },
    jwtUserinfo: { enabled: true },
    introspection: { enabled: true, allowedPolicy: () => true },
    rpInitiatedLogout: { enabled: true },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: args["require-par"] },
  },
  // PKCE (S256 only in v9) is accepted from every client, required for public ones.
  pkce: {
    required: (_ctx: unknown, client: { clientAuthMethod: string }) =>
      client.clientAuthMethod === "none",
  },
  // Refresh tokens whenever the client may use them and offline_access was granted.
  issueRefreshToken: (
    _ctx: unknown,
    client: { grantTypeAllowed(t: string): boolean },
    code: { scopes: Set<string> },
  ) =>
    client.grantTypeAllowed("refresh_token") &&
    code.scopes.has("offline_access"),
  clientBasedCORS: () => true,
  findAccount: (_ctx: unknown, sub: string) => ({
    accountId: sub,
    claims: () => claimsOf(sub),
  }),
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    ClientCredentials: 600,
    DeviceCode: 600,
    BackchannelAuthenticationRequest: 600,
    PreAuthorizedCode: 600,
    IdToken: 3600,
    RefreshToken: 86400,
    Interaction: 3600,
    Session: 86400,
    Grant: 86400,
  },
  // Plain-text errors: easier to read in test failures than the default HTML page.
  renderError: (
    ctx: { type: string; body: string },
    out: Record<string, string>,
  ) => {
    ctx.type = "text/plain";
    ctx.body = Object.entries(out).map(([k, v]) => `${k}: ${v}`).join("\n");
  },
};

let provider;
try {
  provider = new Provider(issuer, configuration);
  // oidc-provider validates static clients lazily (on first use): fail fast instead.
  for (const metadata of clients) {
    try {
      await provider.Client.validate(metadata);
    } catch (err) {
      const e = err as { error_description?: string; message: string };
      throw new Error(
        `invalid client ${JSON.stringify(metadata.client_id)}: ${
          e.error_description ?? e.message
        }`,
      );
    }
  }
} catch (err) {
  console.error(`cannot configure oidc-provider: ${(err as Error).message}`);
  server.close();
  process.exit(1);
}

// Loopback redirect URIs match regardless of port (see the header comment).
// deno-lint-ignore no-explicit-any
const ClientProto = (provider as any).Client.prototype;
const exactRedirectUriAllowed = ClientProto.redirectUriAllowed;
ClientProto.redirectUriAllowed = function (
  this: { redirectUris: string[] },
  value: string,
): boolean {
  if (exactRedirectUriAllowed.call(this, value)) return true;
  const wanted = loopbackWithoutPort(value);
  return wanted !== undefined &&
    this.redirectUris.some((uri) => loopbackWithoutPort(uri) === wanted);
};

provider.on(
  "server_error",
  (_ctx: unknown, err: Error) => console.error("server_error:", err),
);

server.on("request", provider.callback());

let closing = false;
function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.error(`provider-server: ${signal}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
if (args["exit-on-stdin-close"]) {
  process.stdin.on("end", () => shutdown("stdin closed"));
  process.stdin.on("error", () => shutdown("stdin error"));
  process.stdin.resume();
}

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
