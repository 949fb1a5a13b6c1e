import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml, html, page } from "../../src/server/html.ts";

test("escapeHtml covers the five characters that matter in text and quoted attributes", () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
});

test("html escapes every interpolated value, nests fragments, and joins lists", () => {
  const evil = `"><script>alert(1)</script>`;
  const fragment = html`<li>${evil}</li>`;
  assert.equal(
    html`<ul title="${evil}">${[fragment, html`<li>${42}</li>`]}${undefined}${false}</ul>`.markup,
    `<ul title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><li>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</li><li>42</li></ul>`,
  );
});

test("pages forbid scripts, caching and referrers, and escape the title", async () => {
  const response = page(`<Tokens>`, html`<p>ok</p>`, 201);
  assert.equal(response.status, 201);
  assert.match(response.headers.get("content-security-policy")!, /default-src 'none'/);
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.equal(response.headers.get("referrer-policy"), "no-referrer");
  const text = await response.text();
  assert.match(text, /<h1>&lt;Tokens&gt;<\/h1>/);
  assert.ok(!text.includes("<script"));
});
