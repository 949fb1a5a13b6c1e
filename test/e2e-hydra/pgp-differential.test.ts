// `clients create --pgp-key` from Hydra v1.8.5's own CLI and from hydractl, with the same
// arguments against the same real Hydra v1.8.5, the printed values taken apart by real gpg.
// Both print base64 of a binary OpenPGP message (Hydra v2.3.0 prints an armored one), but
// v1.8.5's stops after its session key packet: its encrypta library returns the buffer
// before closing the writer that would append the encrypted data, so nobody can decrypt it.
// These tests hold hydractl to v1.8.5's encoding and show that difference for what it is.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { decodeBase64 } from "../../src/base64.ts";
import { repoRoot, run } from "../support/cli.ts";
import { type GpgKeyring, gpgKeyring, skipWithoutGpg } from "../support/gpg.ts";
import { clientCredentialsGrant, hydractl, instances, isV1, readClient, skipWithoutHydra } from "./support/hydra.ts";

/** Hydra's CLI speaks only TCP, so the v1.8.5 server whose admin API listens on a port. */
const targets = instances.filter((hydra) => isV1(hydra) && !hydra.adminSocket);
const ARGS = ["-g", "client_credentials", "-r", "token", "-a", "core"];

interface Packet {
  /** `# off=399 ctb=d2 tag=18 hlen=2 plen=72 new-ctb` without the lengths, which may differ. */
  header: string;
  /** gpg's first line about the packet, e.g. `:pubkey enc packet: version 3, algo 1, keyid …`. */
  description: string;
  offset: number;
}

/** The packets `gpg --list-packets` lists, in order, and how gpg ended. */
function listPackets(gpg: GpgKeyring, message: Uint8Array): { packets: Packet[]; status: number | null; stderr: string } {
  const { status, stdout, stderr } = gpg.inspect(["--list-packets"], message);
  const lines = stdout.split("\n");
  const packets: Packet[] = [];
  lines.forEach((line, i) => {
    const header = /^# off=(\d+) ctb=([0-9a-f]{2}) tag=(\d+) hlen=\d+ plen=\d+( new-ctb)?/.exec(line);
    if (header) packets.push({ header: `ctb=${header[2]} tag=${header[3]}${header[4] ?? ""}`, description: lines[i + 1] ?? "", offset: Number(header[1]) });
  });
  return { packets, status, stderr };
}

/** `OAuth 2.0 Client ID: …` and `OAuth 2.0 Encrypted Client Secret: …`, exactly those two lines. */
function encryptedSecret(stdout: string, id: string): string {
  const match = new RegExp(`^OAuth 2\\.0 Client ID: ${id}\\nOAuth 2\\.0 Encrypted Client Secret: ([A-Za-z0-9+/]+={0,2})\\n$`).exec(stdout);
  assert.ok(match, `unexpected output:\n${stdout}`);
  return match[1]!;
}

if (targets.length === 0) test("clients create --pgp-key beside hydra-v1.8.5's CLI", { skip: skipWithoutHydra || "no Hydra v1.8.5 in this run" }, () => {});

for (const hydra of targets) {
  const hydraCli = `${repoRoot}.cache/hydra/bin/hydra-${hydra.version}`;
  describe(`clients create --pgp-key: hydra-${hydra.version}'s CLI beside hydractl, against Hydra ${hydra.name}`, { skip: skipWithoutGpg }, () => {
    let gpg: GpgKeyring;
    let theirs: Uint8Array;
    let ours: Uint8Array;
    before(async () => {
      assert.ok(existsSync(hydraCli), `${hydraCli} is missing: scripts/e2e-hydra builds it`);
      gpg = gpgKeyring();
      const key = ["--pgp-key", Buffer.from(gpg.armoredPublicKey).toString("base64")];
      const [hydraRun, hydractlRun] = await Promise.all([
        run(["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", "diff-hydra", ...ARGS, ...key], { binary: hydraCli, timeoutMs: 30_000 }),
        hydractl(["clients", "create", "--endpoint", hydra.adminEndpoint, "--id", "diff-hydractl", ...ARGS, ...key]),
      ]);
      assert.equal(hydraRun.code, 0, hydraRun.stderr);
      assert.equal(hydractlRun.code, 0, hydractlRun.stderr);
      theirs = decodeBase64(encryptedSecret(hydraRun.stdout, "diff-hydra"));
      ours = decodeBase64(encryptedSecret(hydractlRun.stdout, "diff-hydractl"));
    });
    after(() => gpg?.remove());

    test("both print base64 of a binary message that opens with the same session key packet", () => {
      const [hydraList, hydractlList] = [listPackets(gpg, theirs), listPackets(gpg, ours)];
      const sessionKey = {
        header: "ctb=c1 tag=1 new-ctb",
        description: `:pubkey enc packet: version 3, algo 1, keyid ${gpg.encryptionKeyId}`,
        offset: 0,
      };
      assert.match(gpg.encryptionKeyId, /^[0-9A-F]{16}$/);
      assert.deepEqual(hydraList.packets[0], sessionKey);
      assert.deepEqual(hydractlList.packets[0], sessionKey);
      // Then the encrypted data (tag 18, with a modification detection code): v1.8.5's message
      // holds only that packet's first byte, hydractl's the whole packet, right after the same
      // session key packet (lengths may differ: each wraps its own session key).
      const dataOffset = hydractlList.packets[1]?.offset ?? -1;
      assert.deepEqual(hydractlList.packets[1], { header: "ctb=d2 tag=18 new-ctb", description: ":encrypted data packet:", offset: dataOffset });
      assert.equal(dataOffset, theirs.length - 1);
      assert.equal(theirs[dataOffset], 0xd2);
      // gpg would have read armor too: the bytes themselves are binary packets, header alike.
      assert.deepEqual(theirs.slice(0, 3), ours.slice(0, 3));
    });

    test("hydractl's message is whole: gpg decrypts it to the secret that authenticates as its client", async () => {
      const { packets, status, stderr } = listPackets(gpg, ours);
      assert.equal(status, 0, stderr);
      assert.deepEqual(
        packets.map((packet) => packet.header),
        ["ctb=c1 tag=1 new-ctb", "ctb=d2 tag=18 new-ctb", "ctb=cb tag=11 new-ctb"],
      );
      const secret = gpg.decryptBase64(Buffer.from(ours).toString("base64"));
      assert.match(secret, /^\S{26,}$/);
      const grant = await clientCredentialsGrant(hydra, "diff-hydractl", secret, "basic");
      assert.equal(grant.status, 200, JSON.stringify(grant.body));
      assert.equal((await clientCredentialsGrant(hydra, "diff-hydractl", `${secret}x`, "basic")).status, 401);
    });

    test("hydra-v1.8.5's message ends after the session key packet: gpg lists a truncated packet and decrypts nothing", async () => {
      const { packets, status, stderr } = listPackets(gpg, theirs);
      assert.deepEqual(
        packets.map((packet) => packet.header),
        ["ctb=c1 tag=1 new-ctb"],
      );
      assert.equal(status, 2);
      assert.match(stderr, /1st length byte missing/);
      const decrypted = gpg.inspect(["--decrypt"], theirs);
      assert.equal(decrypted.stdout, "");
      assert.notEqual(decrypted.status, 0);
      // The client itself was created as asked, like hydractl's: only its secret is lost.
      const fields = ["grant_types", "response_types", "scope", "token_endpoint_auth_method"];
      const [stored, storedOurs] = await Promise.all([readClient(hydra, "diff-hydra"), readClient(hydra, "diff-hydractl")]);
      assert.deepEqual(
        fields.map((field) => stored[field]),
        fields.map((field) => storedOurs[field]),
      );
      assert.deepEqual(stored.grant_types, ["client_credentials"]);
    });
  });
}
