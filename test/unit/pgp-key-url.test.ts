// Unit: --pgp-key-url's download follows redirects by hand, and refuses those that could
// hand over someone else's key (plain HTTP after HTTPS) or are no download at all.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors.ts";
import { loadEncryptionKey } from "../../src/secrets/pgp.ts";

/** A server of redirects only: each URL in `hops` answers 302 to the next; the others 404. */
function redirects(hops: Record<string, string>) {
  const asked: string[] = [];
  const fetch = (input: Request | string | URL, init?: RequestInit) => {
    const url = String(input);
    asked.push(url);
    assert.equal(init?.redirect, "manual", "redirects are followed by hand");
    const location = hops[url];
    return Promise.resolve(location ? new Response(null, { status: 302, headers: { Location: location } }) : new Response("not found", { status: 404 }));
  };
  return { fetch, asked };
}

const source = (url: string) => ({ kind: "url" as const, url: new URL(url), described: `the key at ${url}` });

test("a redirect to plain HTTP after HTTPS, or to no http(s) URL, is refused before it is followed", async () => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ "https://keys.example/k.asc": "http://keys.example/k.asc" }, "https://keys.example/k.asc", /^fetching the key at https:\/\/keys\.example\/k\.asc: https:\/\/keys\.example\/k\.asc redirects to http:\/\/keys\.example\/k\.asc, plain HTTP after HTTPS, .*; refused$/],
    [{ "https://keys.example/k.asc": "https://mirror.example/k.asc", "https://mirror.example/k.asc": "http://mirror.example/k.asc" }, "https://keys.example/k.asc", /^.*: https:\/\/mirror\.example\/k\.asc redirects to http:\/\/mirror\.example\/k\.asc, plain HTTP after HTTPS/],
    [{ "http://keys.example/k.asc": "file:///etc/passwd" }, "http://keys.example/k.asc", /^.*: http:\/\/keys\.example\/k\.asc redirects to a URL that is no http\(s\) download; refused$/],
  ];
  for (const [hops, start, message] of cases) {
    const server = redirects(hops);
    await assert.rejects(loadEncryptionKey(source(start), server.fetch), (error: Error) => error instanceof InputError && message.test(error.message), start);
    assert.ok(server.asked.every((url) => url.startsWith("https:") || !start.startsWith("https:")), "no plain HTTP request after HTTPS");
  }
});

test("redirects are followed, at most five, and an error names the URL that failed", async () => {
  const chain: Record<string, string> = {};
  for (let hop = 0; hop < 7; hop++) chain[`https://keys.example/${hop}`] = `https://keys.example/${hop + 1}`;
  const endless = redirects(chain);
  await assert.rejects(loadEncryptionKey(source("https://keys.example/0"), endless.fetch), /redirects to https:\/\/keys\.example\/6 after 5 redirects already; refused$/);
  assert.equal(endless.asked.length, 6);
  const moved = redirects({ "https://keys.example/old.asc": "/new.asc" });
  await assert.rejects(loadEncryptionKey(source("https://keys.example/old.asc"), moved.fetch), /^InputError: fetching the key at https:\/\/keys\.example\/old\.asc \(redirected to https:\/\/keys\.example\/new\.asc\) failed: 404/);
});
