// Runs the command's local web client in-process (the real server on the real runtime),
// wired like `perform authorization-code` wires it, for flow tests.
import { LoginConsentApi } from "../../src/hydra/login-consent.ts";
import { ApiClient } from "../../src/http/api.ts";
import { endpoint } from "../../src/cli/parsers.ts";
import { HydraAdmin } from "../../src/hydra/admin.ts";
import { createTransport } from "../../src/http/transport.ts";
import { AuthorizationCodeFlow, type FlowResult, type FlowSettings } from "../../src/oauth/authorization-code.ts";
import { findMetadata } from "../../src/oauth/metadata.ts";
import { selfSignedCertificate } from "../../src/server/certificate.ts";
import { runLocalClient } from "../../src/server/local-client.ts";
import { runtime } from "./runtime.ts";

export interface LocalClientTestOptions extends Partial<Omit<FlowSettings, "server" | "fetch" | "redirectUri">> {
  issuer?: string;
  adminEndpoint?: string;
  keepRunning?: boolean;
  https?: boolean;
  skip?: boolean;
  redirect?: string;
  /** Where to listen (default: any free port). */
  port?: number;
  /** `-H` headers for every request the client makes. */
  headers?: [string, string][];
}

export interface LocalClient {
  /** http(s)://127.0.0.1:PORT */
  base: string;
  /** Settles like the command: resolves after a successful flow, rejects after a failed one. */
  done: Promise<void>;
  tokens: FlowResult[];
  /** What the run said on stderr, notices and prompts alike. */
  notices: string[];
  /** GET /perform-flow and return where it redirects (the authorization URL). */
  startFlow(): Promise<URL>;
  /** Ends the run as Ctrl+C would. */
  stop(): void;
}

export async function startLocalClient(options: LocalClientTestOptions): Promise<LocalClient> {
  const fetch = createTransport(runtime, { skipTlsVerify: options.https, headers: options.headers });
  const notices: string[] = [];
  const tokens: FlowResult[] = [];
  let listening!: (line: string) => void;
  const started = new Promise<string>((resolve) => (listening = resolve));
  const stopper = new AbortController();
  const done = runLocalClient({
    runtime,
    stop: stopper.signal,
    port: options.port ?? 0,
    tls: options.https ? await selfSignedCertificate() : undefined,
    redirect: options.redirect ? new URL(options.redirect) : undefined,
    open: false,
    keepRunning: options.keepRunning ?? false,
    skip: options.skip ?? false,
    loginConsent: options.adminEndpoint
      ? new LoginConsentApi(new HydraAdmin(new ApiClient({ endpoint: endpoint(options.adminEndpoint, "--admin-endpoint"), fetch, failAfterMs: 0 })))
      : undefined,
    notify: (message) => notices.push(message),
    prompt(message) {
      notices.push(message);
      if (message.includes("Home page:")) listening(message);
    },
    async createFlow(redirectUri) {
      const { server } = await findMetadata({ issuer: new URL(options.issuer!), fetch, allowHttp: true });
      return new AuthorizationCodeFlow({
        server,
        clientId: options.clientId ?? "demo",
        clientSecret: options.clientSecret,
        authMethod: options.authMethod ?? (options.clientSecret ? "client_secret_basic" : "none"),
        redirectUri,
        scopes: options.scopes ?? ["openid", "offline_access"],
        prompt: options.prompt ?? ["consent"],
        maxAge: options.maxAge,
        audience: options.audience ?? [],
        forcedState: options.forcedState,
        pkce: options.pkce ?? true,
        responseMode: options.responseMode,
        fetch,
        allowHttp: true,
      });
    },
    onTokens(result) {
      tokens.push(result);
      return Promise.resolve();
    },
  });
  // Surface a failure to start instead of waiting forever for the start-up line.
  const line = await Promise.race([started, done.then(() => "")]);
  const base = line.match(/Home page: +(\S+)\//)![1]!;
  return {
    base,
    done,
    tokens,
    notices,
    stop: () => stopper.abort(),
    async startFlow() {
      const response = await fetch(`${base}/perform-flow`, { redirect: "manual" });
      await response.body?.cancel();
      if (response.status !== 302) throw new Error(`/perform-flow answered ${response.status}`);
      return new URL(response.headers.get("location")!);
    },
  };
}
