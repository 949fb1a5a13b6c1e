// Every page of the local web client is built with the `html` tag below: interpolated
// values are escaped unless they are themselves `html` fragments, so a value from a URL,
// a token response or Hydra's admin API cannot become markup by being forgotten.

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** Markup that is already safe: the result of `html`, never raw input. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  // A loop, not .reduce: the pages module builds a fragment when it loads, before the first
  // handshake of every `perform`, and the engine compiles .reduce at its first use.
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem}code,pre{font:13px/1.4 ui-monospace,monospace;word-break:break-all;white-space:pre-wrap}
pre{background:#f4f4f6;padding:.75rem;border-radius:6px}.error{color:#b00020}
label{display:block;margin:.25rem 0}button,a.button{font:inherit;margin-right:.5rem}
dt{font-weight:600;margin-top:.75rem}`;

/**
 * A whole page. The headers keep tokens out of caches and referrers, and the CSP forbids
 * scripts outright: the pages need none, so an escaping slip still could not run one.
 */
export function page(title: string, body: Html, status = 200): Response {
  const document = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · hydractl</title><style>${new Html(STYLE)}</style></head>
<body><h1>${title}</h1>
${body}
</body></html>
`;
  return new Response(document.markup, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
