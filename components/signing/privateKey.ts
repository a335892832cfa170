import { createPrivateKey } from "node:crypto";

import { Secret } from "./secret";

/** An RSA private key that opened, as unencrypted PKCS#8 PEM, so the signer needs no passphrase. */
export type ParsedKey =
  { readonly ok: true; readonly pem: Secret } | { readonly ok: false; readonly reason: string };

const ENCRYPTED = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

/**
 * Opens a PEM key as the provider's SDK does before it signs anything (oci-go-sdk common/helpers.go L219-254
 * `PrivateKeyFromBytes`: PEM, PKCS#1 or PKCS#8, encrypted or not, RSA only). A key that does not open makes the
 * provider try the next place that has a key (configuration.go L721-729), so it is a reason, not an error. The
 * reason never holds the key or the passphrase.
 */
export function parsePrivateKey(pem: string, passphrase: string | undefined): ParsedKey {
  const encrypted = ENCRYPTED.test(pem);
  if (encrypted && !passphrase) return { ok: false, reason: "is encrypted and no passphrase was given" };
  try {
    const key = createPrivateKey({ key: pem, format: "pem", ...(encrypted ? { passphrase } : {}) });
    if (key.asymmetricKeyType !== "rsa") return { ok: false, reason: "is not an RSA key" };
    return { ok: true, pem: new Secret(key.export({ type: "pkcs8", format: "pem" }).toString()) };
  } catch {
    return {
      ok: false,
      reason: encrypted ? "does not open with the passphrase given" : "is not a PEM private key",
    };
  }
}

/** The provider turns `\n` escapes of an inline key into new lines (provider.go L651). */
export function unescapeInlineKey(text: string): string {
  return text.replaceAll("\\n", "\n");
}
