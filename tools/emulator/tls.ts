/**
 * TLS material made fresh at every start: a CA (written to `ca.pem` for clients to trust) and a server
 * certificate it signs for the three loopback hosts. ECDSA P-256 keeps generation to a few milliseconds.
 * Clients verify the chain like any other; nothing here weakens verification.
 */
import { webcrypto } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { privateKeyPem, x509 } from "./x509";

export const LOOPBACK_HOSTS = {
  identity: "127.0.0.1",
  runtime: "127.0.0.2",
  designTime: "127.0.0.3",
} as const;

const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TlsMaterial {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

function serial(): string {
  // Positive, non-zero serial number (RFC 5280 §4.1.2.2).
  return `01${Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString("hex")}`;
}

export async function generateTlsMaterial(now = Date.now()): Promise<TlsMaterial> {
  const caKeys = await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"]);
  const notBefore = new Date(now - DAY_MS);
  const notAfter = new Date(now + 30 * DAY_MS);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=oic-emulator local CA, O=oic-client-provisioner",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"]);
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=localhost",
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        ...Object.values(LOOPBACK_HOSTS).map((ip) => ({ type: "ip" as const, value: ip })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
    ],
  });

  return {
    caPem: ca.toString("pem"),
    certPem: server.toString("pem"),
    keyPem: await privateKeyPem(serverKeys.privateKey),
  };
}

/**
 * Writes `ca.pem` into `stateDir` (created if needed; the file stays after close, the next start overwrites
 * it) or into a fresh temporary directory that `cleanup` removes.
 */
export async function writeCaFile(
  caPem: string,
  stateDir: string | undefined,
): Promise<{ readonly caFile: string; readonly cleanup: () => Promise<void> }> {
  if (stateDir) {
    await mkdir(stateDir, { recursive: true });
    const caFile = join(resolve(stateDir), "ca.pem");
    await writeFile(caFile, caPem, { mode: 0o644 });
    return { caFile, cleanup: () => Promise.resolve() };
  }
  const dir = await mkdtemp(join(tmpdir(), "oic-emulator-"));
  const caFile = join(dir, "ca.pem");
  await writeFile(caFile, caPem, { mode: 0o644 });
  return { caFile, cleanup: async () => rm(dir, { recursive: true, force: true }) };
}
