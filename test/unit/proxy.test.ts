import assert from "node:assert/strict";
import { test } from "node:test";
import { proxyFor } from "../../src/http/proxy.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

test("the proxy follows the URL's scheme, lower-case names first", () => {
  const vars = env({ HTTP_PROXY: "http://upper:1", http_proxy: "http://lower:1", HTTPS_PROXY: "http://secure:1" });
  assert.equal(proxyFor(new URL("http://hydra.test/"), vars), "http://lower:1");
  assert.equal(proxyFor(new URL("https://hydra.test/"), vars), "http://secure:1");
  assert.equal(proxyFor(new URL("http://hydra.test/"), env({})), undefined);
  // ALL_PROXY, as curl reads it: for a scheme without a proxy of its own.
  const all = env({ ALL_PROXY: "http://all:1", HTTPS_PROXY: "http://secure:1" });
  assert.equal(proxyFor(new URL("http://hydra.test/"), all), "http://all:1");
  assert.equal(proxyFor(new URL("https://hydra.test/"), all), "http://secure:1");
  assert.equal(proxyFor(new URL("http://hydra.test/"), env({ all_proxy: "http://lower:1", ALL_PROXY: "http://upper:1" })), "http://lower:1");
});

test("NO_PROXY skips hosts, domain suffixes, host:port and *", () => {
  const url = (u: string) => new URL(u);
  const with_ = (noProxy: string) => env({ HTTPS_PROXY: "http://p:3128", HTTP_PROXY: "http://p:3128", NO_PROXY: noProxy });
  assert.equal(proxyFor(url("https://hydra.example.com/"), with_("example.com")), undefined);
  assert.equal(proxyFor(url("https://hydra.example.com/"), with_(".example.com")), undefined);
  assert.equal(proxyFor(url("https://hydra.example.com/"), with_("*.example.com")), undefined);
  assert.equal(proxyFor(url("https://notexample.com/"), with_("example.com")), "http://p:3128");
  assert.equal(proxyFor(url("http://10.0.0.1:4445/"), with_("10.0.0.1:4445")), undefined);
  assert.equal(proxyFor(url("http://10.0.0.1:4444/"), with_("10.0.0.1:4445")), "http://p:3128");
  assert.equal(proxyFor(url("http://[::1]:4445/"), with_("::1")), undefined);
  assert.equal(proxyFor(url("http://[::1]:4445/"), with_("[::1]:4445")), undefined);
  assert.equal(proxyFor(url("http://anything/"), with_("a, *")), undefined);
});

test("a proxy is an http(s) URL, or host:port as curl reads it; anything else is named by its variable, never quoted", () => {
  const url = new URL("http://hydra.test/");
  assert.equal(proxyFor(url, env({ HTTP_PROXY: "proxy.corp:3128" })), "http://proxy.corp:3128");
  assert.throws(() => proxyFor(url, env({ http_proxy: "socks5://u:secret@127.0.0.1:1080" })), {
    name: "ConfigError",
    message: "http_proxy names a socks5:// proxy; hydractl goes through http:// and https:// proxies only",
  });
  assert.throws(() => proxyFor(url, env({ HTTP_PROXY: "http://u:secret@" })), { name: "ConfigError", message: "HTTP_PROXY is not a proxy URL: expected http://host:port or https://host:port" });
  // A proxy for other schemes, or one NO_PROXY skips, is not this request's business.
  assert.equal(proxyFor(url, env({ HTTPS_PROXY: "socks5://127.0.0.1:1080" })), undefined);
  assert.equal(proxyFor(url, env({ HTTP_PROXY: "socks5://127.0.0.1:1080", NO_PROXY: "hydra.test" })), undefined);
});
