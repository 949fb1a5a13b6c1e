// The real Ory Hydra servers scripts/e2e-hydra started, as the scenarios see them: where
// each one listens, and the few admin and public calls the scenarios check results with.
// Everything the scenarios assert about hydractl goes through the compiled binary.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { binaryPath, run, type RunOptions, type RunResult, spawnCli } from "../../support/cli.ts";

export interface HydraInstance {
  /** What the scenarios call it: "v2.3.0", "v2.3.0 (unix socket, https)", "v1.8.5". */
  name: string;
  /** The release, e.g. v2.3.0. */
  version: string;
  /** The issuer, as Hydra's discovery document spells it (v1.8.5 adds a trailing slash). */
  issuer: string;
  publicUrl: string;
  /** What hydractl is given as --endpoint / --admin-endpoint: http://… or unix:///path. */
  adminEndpoint: string;
  /** Set when the admin API listens on a unix socket instead of a TCP port. */
  adminSocket?: string;
  /** The loopback port hydractl's local web client must use: Hydra's login/consent URLs point there. */
  clientPort: number;
  /** Whether those URLs are https (hydractl then runs with --https). */
  clientHttps: boolean;
  /** The admin API speaks TLS with Hydra's self-signed certificate (only admin-tls.test.ts uses these). */
  adminTls?: boolean;
}

/** The file scripts/e2e-hydra wrote; without it (a plain `bun test`) every scenario skips. */
const file = process.env.HYDRA_E2E_INSTANCES;
const all: HydraInstance[] = file ? (JSON.parse(readFileSync(file, "utf8")) as HydraInstance[]) : [];
/** The servers every scenario runs against. */
export const instances = all.filter((hydra) => !hydra.adminTls);
/** The servers whose admin API has a certificate hydractl cannot check. */
export const tlsAdminInstances = all.filter((hydra) => hydra.adminTls);
export const skipWithoutHydra: string | false = file ? false : "no Hydra running: use scripts/e2e-hydra (make e2e-hydra)";

export const isV1 = (hydra: HydraInstance) => hydra.version.startsWith("v1.");
/** Hydra v2 serves its admin API under /admin; v1.8 without a prefix. */
const adminPrefix = (hydra: HydraInstance) => (isV1(hydra) ? "" : "/admin");

export interface AdminResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One admin API call, over TCP or the unix socket, with node:http(s) (no redirects followed;
 * Hydra's self-signed admin certificate is accepted: hydractl's checking of it is under test,
 * not ours). `form` is sent url-encoded; `{ json }` as JSON (login and consent acceptance).
 */
export function admin(hydra: HydraInstance, method: string, path: string, form?: Record<string, string> | { json: unknown }): Promise<AdminResponse> {
  const target = new URL(`${adminPrefix(hydra)}${path}`, hydra.adminSocket ? "http://localhost" : hydra.adminEndpoint);
  const [body, type] = !form ? [] : "json" in form ? [JSON.stringify(form.json), "application/json"] : [new URLSearchParams(form as Record<string, string>).toString(), "application/x-www-form-urlencoded"];
  return new Promise((resolve, reject) => {
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      {
        method,
        rejectUnauthorized: false,
        ...(hydra.adminSocket ? { socketPath: hydra.adminSocket } : { host: target.hostname, port: target.port }),
        path: `${target.pathname}${target.search}`,
        headers: { Accept: "application/json", ...(type ? { "Content-Type": type } : {}) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
          } catch {
            reject(new Error(`${method} ${path}: not JSON (${res.statusCode}): ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * The IDs of every client Hydra holds, from one page as large as both versions allow
 * (500); fails rather than compare a truncated list.
 */
export async function listClientIds(hydra: HydraInstance): Promise<string[]> {
  const { status, body } = await admin(hydra, "GET", isV1(hydra) ? "/clients?limit=500" : "/clients?page_size=500");
  if (status !== 200 || !Array.isArray(body)) throw new Error(`GET clients: ${status} ${JSON.stringify(body)}`);
  const ids = (body as { client_id: string }[]).map((client) => client.client_id).sort();
  if (ids.length >= 500) throw new Error("500 clients or more: the list may be truncated");
  return ids;
}

/** The client as Hydra stored it: GET /admin/clients/{id} (v2), GET /clients/{id} (v1.8). */
export async function readClient(hydra: HydraInstance, id: string): Promise<Record<string, unknown>> {
  const { status, body } = await admin(hydra, "GET", `/clients/${encodeURIComponent(id)}`);
  if (status !== 200) throw new Error(`GET client ${id}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Token introspection: POST /admin/oauth2/introspect (v2), /oauth2/introspect (v1.8). */
export async function introspect(hydra: HydraInstance, token: string): Promise<Record<string, unknown>> {
  const { status, body } = await admin(hydra, "POST", "/oauth2/introspect", { token });
  if (status !== 200) throw new Error(`introspection: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** A client_credentials grant at Hydra's token endpoint: proves a client secret is the real one. */
export async function clientCredentialsGrant(
  hydra: HydraInstance,
  clientId: string,
  secret: string,
  method: "basic" | "post",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (method === "post") {
    form.set("client_id", clientId);
    form.set("client_secret", secret);
  } else headers.Authorization = `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`;
  const response = await fetch(`${hydra.publicUrl}/oauth2/token`, { method: "POST", headers, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Checks an ID token with Hydra's published keys, independently of hydractl; returns its claims. */
export async function verifyIdToken(hydra: HydraInstance, token: string, clientId: string): Promise<Record<string, unknown>> {
  const [headerPart, payloadPart, signaturePart] = token.split(".");
  if (!headerPart || !payloadPart || !signaturePart) throw new Error("the ID token is not a compact JWS");
  const decode = (part: string) => Uint8Array.from(Buffer.from(part, "base64url"));
  const header = JSON.parse(new TextDecoder().decode(decode(headerPart))) as { alg: string; kid: string };
  const claims = JSON.parse(new TextDecoder().decode(decode(payloadPart))) as Record<string, unknown>;
  if (header.alg !== "RS256") throw new Error(`unexpected ID token alg ${header.alg}`);
  const jwks = (await (await fetch(`${hydra.publicUrl}/.well-known/jwks.json`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`no key ${header.kid} in Hydra's JWKS`);
  const key = await crypto.subtle.importKey("jwk", { kty: jwk.kty, n: jwk.n, e: jwk.e }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, decode(signaturePart), signed))) throw new Error("the ID token's signature does not verify");
  const audience = [claims.aud].flat();
  if (claims.iss !== hydra.issuer) throw new Error(`ID token iss ${claims.iss}, expected ${hydra.issuer}`);
  if (!audience.includes(clientId)) throw new Error(`ID token aud ${JSON.stringify(claims.aud)} lacks ${clientId}`);
  if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) throw new Error("the ID token has expired");
  return claims;
}

/** hydractl with nothing from the caller's environment but what a scenario gives. */
export function hydractl(args: string[], options: Omit<RunOptions, "binary"> = {}): Promise<RunResult> {
  return run(args, { ...options, binary: binaryPath, timeoutMs: options.timeoutMs ?? 30_000 });
}

/** `clients create` against this Hydra's admin API; returns the printed JSON (a failure throws). */
export async function createClient(hydra: HydraInstance, args: string[]): Promise<Record<string, unknown>> {
  const result = await hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--format", "json", ...args]);
  if (result.code !== 0) throw new Error(`clients create failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** The local web client's origin for this Hydra: what its login/consent URLs and redirect URIs use. */
export const clientOrigin = (hydra: HydraInstance) => `${hydra.clientHttps ? "https" : "http"}://127.0.0.1:${hydra.clientPort}`;

export interface PerformProcess {
  /** The local web client's home page. */
  home: string;
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number>;
  interrupt(): void;
}

/** The tokens `perform authorization-code --format json` prints, one JSON document a flow. */
export interface PrintedTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expiry?: string;
}

/** What a perform run printed so far: a document for each flow it finished. */
export const printedTokens = (perform: PerformProcess): PrintedTokens[] =>
  perform
    .stdout()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PrintedTokens);

/**
 * `perform authorization-code` against this Hydra, on its client port (and --https where
 * Hydra's login and consent URLs say so), without opening a browser, printing JSON.
 */
export function performArgs(hydra: HydraInstance, args: string[]): string[] {
  return [
    "perform",
    "authorization-code",
    "--endpoint",
    hydra.issuer,
    "--admin-endpoint",
    hydra.adminEndpoint,
    "--port",
    String(hydra.clientPort),
    "--no-open",
    "--format",
    "json",
    ...(hydra.clientHttps ? ["--https"] : []),
    ...args,
  ];
}

/**
 * Starts `perform authorization-code` on this Hydra's client port and waits until it
 * says where it listens. Killed after `timeoutMs` so a stuck flow fails the scenario.
 */
export async function startPerform(hydra: HydraInstance, args: string[], timeoutMs = 60_000, env: Record<string, string> = {}): Promise<PerformProcess> {
  const spawned = spawnCli(performArgs(hydra, args), { binary: binaryPath, timeoutMs, env });
  const home = await spawned.home;
  if (home !== `${clientOrigin(hydra)}/`) throw new Error(`perform listens on ${home}, not on ${clientOrigin(hydra)}/`);
  return { home, stderr: spawned.stderr, stdout: spawned.stdout, exited: spawned.exited.then((result) => result.code), interrupt: spawned.interrupt };
}
