/**
 * A scripted "browser" for authorization flows against the test provider
 * (oidc-provider devInteractions), built on web-standard fetch only, so it works
 * under both Bun and Deno.
 *
 * It follows redirects by hand (redirect: "manual") with a tiny cookie jar, fills the
 * login form (any login name) and submits the consent form, or follows the
 * "[ Cancel ]" link (/interaction/<uid>/abort) when `deny` is set. It stops, without
 * fetching it, at the first URL for which `stopAt` returns true, and it stops at an
 * auto-submitting response_mode=form_post page, returning that form's action and
 * fields instead of submitting it.
 */

export type AuthorizeResult =
  | { url: URL }
  | { formPost: { action: string; fields: Record<string, string> } };

export interface AuthorizeOptions {
  /** Login name to sign in with (the provider accepts any); default "alice". */
  login?: string;
  /** Password typed into the login form (ignored by devInteractions); default "password". */
  password?: string;
  /** Click "Cancel" on the first interaction page instead of signing in / consenting. */
  deny?: boolean;
  /** Stop as soon as the next URL to visit satisfies this (e.g. the client's callback). */
  stopAt: (url: URL) => boolean;
  /** Maximum number of HTTP requests; default 20. */
  maxSteps?: number;
  /** Cookie jar to use, e.g. to keep the provider session across several flows. */
  jar?: CookieJar;
}

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
  expires?: number;
}

/** Minimal cookie jar: host-only cookies, path matching, expiry. Enough for oidc-provider. */
export class CookieJar {
  #cookies: Cookie[] = [];

  store(url: URL, setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = "", ...attrs] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const cookie: Cookie = {
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        host: url.host,
        path: defaultPath(url),
      };
      for (const attr of attrs) {
        const i = attr.indexOf("=");
        const key = (i === -1 ? attr : attr.slice(0, i)).trim().toLowerCase();
        const val = i === -1 ? "" : attr.slice(i + 1).trim();
        if (key === "path" && val.startsWith("/")) cookie.path = val;
        else if (key === "expires") {
          const t = Date.parse(val);
          if (!Number.isNaN(t) && cookie.expires === undefined) {
            cookie.expires = t;
          }
        } else if (key === "max-age") {
          const s = Number(val);
          if (Number.isFinite(s)) cookie.expires = Date.now() + s * 1000; // max-age wins over expires
        }
      }
      this.#cookies = this.#cookies.filter((c) =>
        !(c.name === cookie.name && c.host === cookie.host &&
          c.path === cookie.path)
      );
      if (cookie.expires === undefined || cookie.expires > Date.now()) {
        this.#cookies.push(cookie);
      }
    }
  }

  header(url: URL): string | undefined {
    const now = Date.now();
    this.#cookies = this.#cookies.filter((c) =>
      c.expires === undefined || c.expires > now
    );
    const matching = this.#cookies
      .filter((c) => c.host === url.host && pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length
      ? matching.map((c) => `${c.name}=${c.value}`).join("; ")
      : undefined;
  }
}

function defaultPath(url: URL): string {
  const p = url.pathname;
  const last = p.lastIndexOf("/");
  return last <= 0 ? "/" : p.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

interface ParsedForm {
  action: string;
  method: string;
  fields: Record<string, string>;
  /** names of non-hidden text/password inputs */
  inputs: string[];
}

function decodeEntities(s: string): string {
  return s.replace(
    /&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi,
    (_m, e: string) => {
      const lower = e.toLowerCase();
      if (lower.startsWith("#x")) {
        return String.fromCodePoint(
          parseInt(lower.slice(2), 16),
        );
      }
      if (lower.startsWith("#")) {
        return String.fromCodePoint(
          parseInt(lower.slice(1), 10),
        );
      }
      return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<
        string,
        string
      >)[lower]!;
    },
  );
}

function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (const m of s.matchAll(re)) {
    attrs[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return attrs;
}

function parseForms(html: string, base: URL): ParsedForm[] {
  const forms: ParsedForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = parseAttrs(m[1]!);
    const form: ParsedForm = {
      action: new URL(attrs.action || base.href, base).href,
      method: (attrs.method || "get").toUpperCase(),
      fields: {},
      inputs: [],
    };
    for (const im of m[2]!.matchAll(/<input\b([^>]*)>/gi)) {
      const ia = parseAttrs(im[1]!.replace(/\/$/, ""));
      if (!ia.name) continue;
      const type = (ia.type || "text").toLowerCase();
      if (type === "hidden") form.fields[ia.name] = ia.value ?? "";
      else if (type === "text" || type === "password" || type === "email") {
        form.inputs.push(ia.name);
        form.fields[ia.name] = ia.value ?? "";
      }
    }
    forms.push(form);
  }
  return forms;
}

function findCancelLink(html: string, base: URL): string | undefined {
  for (const m of html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
    const href = parseAttrs(m[1]!).href;
    if (!href) continue;
    if (/cancel|abort|deny/i.test(m[2]!) || /\/abort(?:$|[?#])/.test(href)) {
      return new URL(href, base).href;
    }
  }
  return undefined;
}

function snippet(text: string): string {
  const t = text.replace(/<style[\s\S]*?<\/style>/gi, "").replace(/\s+/g, " ")
    .trim();
  return t.length > 500 ? `${t.slice(0, 500)}…` : t;
}

export async function authorize(
  authorizationUrl: string,
  opts: AuthorizeOptions,
): Promise<AuthorizeResult> {
  const login = opts.login ?? "alice";
  const password = opts.password ?? "password";
  const maxSteps = opts.maxSteps ?? 20;
  const jar = opts.jar ?? new CookieJar();
  const trail: string[] = [];

  let next: { url: URL; method: string; body?: URLSearchParams } = {
    url: new URL(authorizationUrl),
    method: "GET",
  };

  for (let step = 0;; step++) {
    if (opts.stopAt(next.url)) return { url: next.url };
    if (step >= maxSteps) {
      throw new Error(
        `user agent: no stop after ${maxSteps} requests, next would be ${next.method} ${next.url.href}\n` +
          `steps:\n  ${trail.join("\n  ")}`,
      );
    }
    trail.push(`${next.method} ${next.url.href}`);

    const headers = new Headers({
      accept: "text/html,application/xhtml+xml,*/*",
    });
    const cookie = jar.header(next.url);
    if (cookie) headers.set("cookie", cookie);
    if (next.body) {
      headers.set("content-type", "application/x-www-form-urlencoded");
    }

    const res = await fetch(next.url, {
      method: next.method,
      headers,
      body: next.body?.toString(),
      redirect: "manual",
    });
    jar.store(next.url, res.headers.getSetCookie());

    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      const target = new URL(location, next.url);
      // 307/308 keep the method and body; the others become GET.
      next = res.status === 307 || res.status === 308
        ? { url: target, method: next.method, body: next.body }
        : { url: target, method: "GET" };
      continue;
    }

    const text = await res.text();
    const fail = (why: string): never => {
      throw new Error(
        `user agent: ${why} (HTTP ${res.status} at ${next.url.href})\n` +
          `body: ${snippet(text)}\nsteps:\n  ${trail.join("\n  ")}`,
      );
    };
    if (!(res.headers.get("content-type") ?? "").includes("html")) {
      fail("unexpected non-HTML response");
    }

    const forms = parseForms(text, next.url);

    // response_mode=form_post: an auto-submitting form (or a form aimed at stopAt).
    const autoSubmit = /\.submit\s*\(\s*\)/.test(text);
    const callbackForm = forms.find((f) => opts.stopAt(new URL(f.action))) ??
      (autoSubmit && forms.length === 1 ? forms[0] : undefined);
    if (callbackForm) {
      return {
        formPost: { action: callbackForm.action, fields: callbackForm.fields },
      };
    }

    if (res.status !== 200) fail("unexpected response");

    if (opts.deny) {
      const cancel = findCancelLink(text, next.url);
      if (!cancel) fail("deny requested but no cancel/abort link found");
      next = { url: new URL(cancel!), method: "GET" };
      continue;
    }

    const form = forms.find((f) => f.method === "POST") ?? forms[0];
    if (!form) fail("no form to submit");
    const fields = { ...form!.fields };
    for (const name of form!.inputs) {
      if (/pass/i.test(name)) fields[name] = password;
      else if (/login|user|email|name/i.test(name)) fields[name] = login;
    }
    const body = new URLSearchParams(fields);
    if (form!.method === "POST") {
      next = { url: new URL(form!.action), method: "POST", body };
    } else {
      const url = new URL(form!.action);
      url.search = body.toString();
      next = { url, method: "GET" };
    }
  }
}
