// Real gpg (Debian's gnupg) in a throwaway GNUPGHOME: the tool users decrypt secrets with.
import { execFileSync } from "node:child_process";
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
  /** `base64 -d | gpg --decrypt` of a value hydractl printed. */
  decryptBase64(value: string): string;
  remove(): void;
}

export function gpgKeyring(): GpgKeyring {
  const home = mkdtempSync(join(tmpdir(), "hydractl-gpg-"));
  const gpg = (args: string[], input?: string | Uint8Array) =>
    execFileSync("gpg", ["--homedir", home, "--batch", "--quiet", "--no-tty", ...args], { input, stdio: ["pipe", "pipe", "pipe"] });
  const uid = "hydractl test <test@example.invalid>";
  gpg(["--passphrase", "", "--quick-gen-key", uid, "default", "default", "never"]);
  return {
    armoredPublicKey: gpg(["--export", "--armor", uid]).toString("utf8"),
    decryptBase64: (value) => gpg(["--decrypt"], Buffer.from(value, "base64")).toString("utf8"),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
