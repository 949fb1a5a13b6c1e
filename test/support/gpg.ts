// Real gpg (Debian's gnupg) in a throwaway GNUPGHOME: the tool users decrypt secrets with.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function hasGpg(): boolean {
  try {
    execFileSync("gpg", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Why gpg tests cannot run here, or false. CI installs gnupg (see .ci/run). */
export const skipWithoutGpg: string | false = hasGpg() ? false : "gpg is not installed (apt-get install gnupg); skipped";

export interface GpgKeyring {
  /** The public key, ASCII-armored, as `gpg --export --armor` prints it. */
  armoredPublicKey: string;
  /** The key id of its encryption subkey, as `gpg --list-packets` prints it (16 hex digits). */
  encryptionKeyId: string;
  /** `base64 -d | gpg --decrypt` of a value hydractl printed. */
  decryptBase64(value: string): string;
  /** gpg with this keyring, never throwing: a broken message is something to look at. */
  inspect(args: string[], input: Uint8Array): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

export function gpgKeyring(): GpgKeyring {
  const home = mkdtempSync(join(tmpdir(), "hydractl-gpg-"));
  const gpg = (args: string[], input?: string | Uint8Array) =>
    execFileSync("gpg", ["--homedir", home, "--batch", "--quiet", "--no-tty", ...args], { input, stdio: ["pipe", "pipe", "pipe"] });
  const uid = "hydractl test <test@example.invalid>";
  gpg(["--passphrase", "", "--quick-gen-key", uid, "default", "default", "never"]);
  const subkey = gpg(["--with-colons", "--list-keys", uid]).toString("utf8").split("\n").find((line) => line.startsWith("sub:"));
  return {
    armoredPublicKey: gpg(["--export", "--armor", uid]).toString("utf8"),
    encryptionKeyId: subkey?.split(":")[4] ?? "",
    decryptBase64: (value) => gpg(["--decrypt"], Buffer.from(value, "base64")).toString("utf8"),
    inspect: (args, input) => {
      const result = spawnSync("gpg", ["--homedir", home, "--batch", "--no-tty", ...args], { input, encoding: "utf8" });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
