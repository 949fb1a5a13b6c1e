// A stand-in OpenID provider for what a certified one will not do: mint ID tokens with a
// wrong nonce or audience, or a bad signature. Only discovery, JWKS, the token endpoint and
// a userinfo endpoint that signs its answers exist; the test writes the callback itself,
// and the code it puts there is a JSON object of claims (and flags) the token endpoint
// applies to the ID token it returns. The userinfo endpoint reads its access token alike.
import { type Server } from "../../src/runtime/index.ts";
import { serveLocal } from "./runtime.ts";

/**
 * What the token endpoint answers instead of tokens: a plain-text 500 that quotes the request,
 * an HTML page, tokens without an ID token (and with a scope granted without openid).
 */
export type TokenAnswer = "server-error" | "html" | "no-id-token" | "no-openid-granted" | "openid-granted-no-id-token";

export interface FakeIssuer {
  issuer: string;
  /** Token requests received, in order, as form fields. */
  tokenRequests: URLSearchParams[];
  /** Every request received: its path and headers. */
  requests: { path: string; headers: Headers }[];
  /** The `code` value for a callback that makes the token endpoint mint these claims. */
  code(claims: Record<string, unknown>, options?: { signWithOtherKey?: boolean; error?: string; echo?: boolean; answer?: TokenAnswer; postOnly?: boolean }): string;
  close(): Promise<void>;
}

const b64url = (bytes: Uint8Array | string) =>
  btoa(String.fromCharCode(...(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function sign(claims: object, key: CryptoKey, alg = "ES256"): Promise<string> {
  const input = `${b64url(JSON.stringify({ alg, kid: "fake-key" }))}.${b64url(JSON.stringify(claims))}`;
  if (alg === "none") return `${input}.`;
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, new TextEncoder().encode(input));
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

export async function startFakeIssuer(metadata: Record<string, unknown> = {}): Promise<FakeIssuer> {
  const params = { name: "ECDSA", namedCurve: "P-256" } as const;
  const [key, otherKey] = await Promise.all([
    crypto.subtle.generateKey(params, true, ["sign", "verify"]),
    crypto.subtle.generateKey(params, true, ["sign", "verify"]),
  ]);
  const jwk = { ...(await crypto.subtle.exportKey("jwk", key.publicKey)), kid: "fake-key", alg: "ES256", use: "sig" };
  const tokenRequests: URLSearchParams[] = [];
  const requests: FakeIssuer["requests"] = [];
  let issuer = "";
  const server: Server & { url: string } = await serveLocal(async (request) => {
    const path = new URL(request.url).pathname;
    requests.push({ path, headers: request.headers });
    if (path === "/.well-known/openid-configuration") {
      return Response.json({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        userinfo_signing_alg_values_supported: ["ES256", "none"],
        response_types_supported: ["code"],
        id_token_signing_alg_values_supported: ["ES256"],
        ...metadata,
      });
    }
    if (path === "/jwks") return Response.json({ keys: [jwk] });
    if (path === "/userinfo") {
      const { claims, signWithOtherKey, alg } = JSON.parse(request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "{}");
      const jwt = await sign({ iss: issuer, sub: "alice", aud: "demo", ...claims }, signWithOtherKey ? otherKey.privateKey : key.privateKey, alg);
      return new Response(jwt, { headers: { "Content-Type": "application/jwt" } });
    }
    if (path === "/token" && request.method === "POST") {
      const body = await request.text();
      const form = new URLSearchParams(body);
      tokenRequests.push(form);
      const { claims, signWithOtherKey, error, echo, answer, postOnly } = JSON.parse(form.get("code") ?? "{}");
      if (error) return Response.json({ error, error_description: "the fake says no" }, { status: 400 });
      // A client registered for client_secret_post, refused as Hydra (fosite) refuses it.
      if (postOnly && request.headers.has("authorization")) {
        const description = "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method). The OAuth 2.0 Client supports client authentication method 'client_secret_post', but method 'client_secret_basic' was requested.";
        return Response.json({ error: "invalid_client", error_description: description }, { status: 401 });
      }
      // As a careless server does: the request quoted back, its Basic credentials decoded.
      if (echo) {
        const basic = request.headers.get("authorization")?.replace(/^Basic /, "");
        return Response.json({ error: "invalid_client", error_description: `got ${body} from ${basic ? atob(basic) : "nobody"}` }, { status: 400 });
      }
      if (answer === "server-error") return new Response(`oops: ${form} access_token=leaked`, { status: 500, headers: { "Content-Type": "text/plain" } });
      if (answer === "html") return new Response("<html>hi</html>", { headers: { "Content-Type": "text/html" } });
      if (answer === "no-id-token") return Response.json({ access_token: "fake-access-token", token_type: "Bearer", expires_in: 300 });
      if (answer === "no-openid-granted") return Response.json({ access_token: "fake-access-token", token_type: "Bearer", expires_in: 300, scope: "offline" });
      if (answer === "openid-granted-no-id-token") return Response.json({ access_token: "fake-access-token", token_type: "Bearer", expires_in: 300, scope: "openid offline" });
      const now = Math.floor(Date.now() / 1000);
      const idToken = await sign(
        { iss: issuer, sub: "alice", aud: "demo", iat: now, exp: now + 300, ...claims },
        signWithOtherKey ? otherKey.privateKey : key.privateKey,
      );
      return Response.json({ access_token: "fake-access-token", token_type: "Bearer", expires_in: 300, id_token: idToken });
    }
    return new Response("not found", { status: 404 });
  });
  issuer = server.url;
  return {
    issuer,
    tokenRequests,
    requests,
    code: (claims, options = {}) => JSON.stringify({ claims, ...options }),
    close: () => server.close(),
  };
}
