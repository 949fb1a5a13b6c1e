// perform's --https, --https-cert and --https-key, turned into the certificate the local
// web client serves (src/server/certificate.ts), with file problems named by their flag.
import type { CommandContext } from "../../cli/context.ts";
import { UsageError } from "../../errors.ts";
import type { Certificate } from "../../server/certificate.ts";

export interface HttpsArgs {
  readonly https: boolean;
  readonly "https-cert"?: string;
  readonly "https-key"?: string;
  /** The redirect URI to send instead of the local callback, whose host the certificate must also cover. */
  readonly redirect?: URL;
}

/** Whether the local web client is to speak HTTPS (`--https-cert` implies it). */
export const wantsHttps = (args: HttpsArgs) => args.https || args["https-cert"] !== undefined;

/** The certificate to serve, or undefined for plain HTTP. */
export async function certificateFromArgs(args: HttpsArgs, context: CommandContext): Promise<Certificate | undefined> {
  const { runtime, notify } = context;
  const { "https-cert": certFile, "https-key": keyFile, redirect } = args;
  if (certFile === undefined && keyFile !== undefined) throw new UsageError("--https-key needs --https-cert, the certificate of that key");
  if (certFile !== undefined && keyFile === undefined) throw new UsageError("--https-cert needs --https-key, the private key of that certificate");
  if (certFile === undefined || keyFile === undefined) {
    if (!args.https) return undefined;
    const { cachedCertificate, LOOPBACK_HOSTS } = await import("../../server/certificate.ts");
    const extra = redirect && redirectHost(redirect);
    return await cachedCertificate(runtime, extra && !LOOPBACK_HOSTS.includes(extra) ? [...LOOPBACK_HOSTS, extra] : LOOPBACK_HOSTS, notify);
  }

  const { CertificateFileError, readCertificateFiles } = await import("../../server/certificate.ts");
  // The browser comes to 127.0.0.1, or to the --redirect host for the callback.
  const hosts = redirect ? ["127.0.0.1", redirectHost(redirect)] : ["127.0.0.1"];
  let certificate: Certificate;
  try {
    certificate = await readCertificateFiles(runtime, { cert: certFile, key: keyFile }, hosts);
  } catch (error) {
    if (!(error instanceof CertificateFileError)) throw error;
    const [flag, file] = error.part === "key" ? ["https-key", keyFile] : ["https-cert", certFile];
    // The file is the sentence's subject: "--https-cert my.crt expired on …".
    throw new UsageError(`--${flag} ${file} ${error.message}`, { cause: error });
  }
  if (certificate.uncovered.length) {
    notify(`warning: the certificate of --https-cert does not cover ${certificate.uncovered.join(" or ")}; browsers will warn about it`);
  }
  return certificate;
}

/** The hostname as a certificate names it: without an IPv6 address's brackets. */
function redirectHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}
