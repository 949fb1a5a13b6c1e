// The pages of the local web client. Everything shown passes through `html`, which
// escapes it: tokens, claims, error descriptions, client names, scopes.
import type { FlowResult } from "../oauth/authorization-code.ts";
import { decodeJwtClaims } from "../oauth/jwt.ts";
import type { ConsentRequest, LoginRequest, OAuth2ClientSummary } from "../hydra/login-consent.ts";
import { Html, html, page } from "./html.ts";

const backLink = html`<p><a href="/">Start another flow</a></p>`;

export function welcomePage(clientId: string | undefined, authorizationEndpoint: string | undefined): Response {
  return page(
    "hydractl: try the Authorization Code flow",
    html`<p>This page stands in for your application. The link below sends you to the authorization
server to sign in and consent; you come back here with a code, which hydractl exchanges for
tokens and checks before showing them.</p>
${clientId ? html`<p>Client <code>${clientId}</code>${authorizationEndpoint ? html` at <code>${authorizationEndpoint}</code>` : ""}.</p>` : ""}
<p><a class="button" href="/perform-flow">Authorize application</a></p>`,
  );
}

export function resultPage(result: FlowResult, keepRunning: boolean): Response {
  const { tokens, idTokenClaims } = result;
  const accessClaims = decodeJwtClaims(tokens.access_token);
  return page(
    "Tokens received",
    html`<dl>
<dt>Access token</dt><dd><code>${tokens.access_token}</code></dd>
<dt>Refresh token</dt><dd><code>${tokens.refresh_token ?? "(none)"}</code></dd>
<dt>ID token</dt><dd><code>${tokens.id_token ?? "(none)"}</code></dd>
<dt>Expiry</dt><dd>${tokens.expiry ?? "(not given)"}</dd>
${tokens.scope ? html`<dt>Scope</dt><dd>${tokens.scope}</dd>` : ""}
</dl>
${idTokenClaims ? html`<h2>ID token claims (signature, issuer, audience, expiry, nonce, azp, iat and at_hash checked)</h2><pre>${JSON.stringify(idTokenClaims, null, 2)}</pre>` : ""}
${accessClaims ? html`<h2>Access token claims (decoded, not verified)</h2><pre>${JSON.stringify(accessClaims, null, 2)}</pre>` : ""}
${keepRunning ? backLink : html`<p>hydractl writes these tokens to its output and stops; you can close this window.</p>`}`,
  );
}

export function errorPage(title: string, message: string, status: number, keepRunning = false): Response {
  return page(title, html`<p class="error">${message}</p>${keepRunning ? backLink : ""}`, status);
}

function clientLabel(client: OAuth2ClientSummary | undefined): Html {
  if (!client) return html`an unnamed client`;
  return client.client_name ? html`<strong>${client.client_name}</strong> (<code>${client.client_id}</code>)` : html`<code>${client.client_id}</code>`;
}

function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

function checkboxes(name: string, values: string[] | undefined, legend: string): Html {
  if (!values?.length) return html``;
  return html`<fieldset><legend>${legend}</legend>${values.map(
    (value) => html`<label><input type="checkbox" name="${name}" value="${value}" checked> ${value}</label>`,
  )}</fieldset>`;
}

export function loginPage(request: LoginRequest, formToken: string, canSkip: boolean): Response {
  return page(
    "Sign in",
    html`<p>${clientLabel(request.client)} asks you to sign in.</p>
${request.skip && !canSkip ? html`<p>Hydra remembers <code>${request.subject}</code> here; <code>--skip</code> would accept this login without asking.</p>` : ""}
<form method="post" action="/login">
${hidden("challenge", request.challenge)}${hidden("form_token", formToken)}
<label>Subject (any user name) <input type="text" name="subject" value="${request.subject}" required autofocus></label>
<label><input type="checkbox" name="remember" value="true"> Remember me</label>
<p><button type="submit" name="action" value="accept">Sign in</button>
<button type="submit" name="action" value="reject" formnovalidate>Deny</button></p>
</form>`,
  );
}

export function consentPage(request: ConsentRequest, formToken: string): Response {
  return page(
    "Consent",
    html`<p>${clientLabel(request.client)} asks <code>${request.subject ?? ""}</code> for access.</p>
<form method="post" action="/consent">
${hidden("challenge", request.challenge)}${hidden("form_token", formToken)}
${checkboxes("grant_scope", request.requested_scope, "Scopes")}
${checkboxes("grant_audience", request.requested_access_token_audience, "Access token audiences")}
<label><input type="checkbox" name="remember" value="true"> Remember this decision</label>
<label><input type="checkbox" name="revoke" value="true"> First revoke the consents given to this client earlier</label>
<p><button type="submit" name="action" value="accept">Allow</button>
<button type="submit" name="action" value="reject">Deny</button></p>
</form>`,
  );
}
