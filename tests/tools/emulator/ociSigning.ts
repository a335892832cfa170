/**
 * Signs requests exactly as the OCI TypeScript SDK does (oci-common's DefaultRequestSigner), so the emulator's
 * signature checks are exercised with Oracle's own signer.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import * as common from "oci-common";
import { createHttpClient } from "../../../components/http";
import { createSignedClient, type SignedClient } from "../../../components/signing";
import { httpRequest, type HttpResult } from "../../support/emulator";

export interface ApiKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
}

/**
 * A fresh API key with its own fingerprint, computed as OCI does (MD5 of the DER public key, colon-separated
 * hex: https://docs.oracle.com/en-us/iaas/Content/API/Concepts/apisigningkey.htm#four), so that a keyId naming
 * the wrong key is told apart.
 */
export function newApiKey(user = "ocid1.user.oc1..aaaaaaaatestuser"): ApiKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ type: "spki", format: "der" });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    tenancy: "ocid1.tenancy.oc1..aaaaaaaatesttenancy",
    user,
    fingerprint: (createHash("md5").update(der).digest("hex").match(/../g) ?? []).join(":"),
  };
}

/** The same private key presented under another identity in the keyId (tenancy, user or fingerprint). */
export function claiming(
  key: ApiKey,
  identity: Partial<Pick<ApiKey, "tenancy" | "user" | "fingerprint">>,
): ApiKey {
  return { ...key, ...identity };
}

/** A client that signs with `key` and trusts the emulator's CA (none for a plain-HTTP emulator). */
export function signedClient(key: ApiKey, caFile: string | null): SignedClient {
  return createSignedClient(createHttpClient({ caFile: caFile ?? undefined }), provider(key));
}

export function provider(key: ApiKey): common.SimpleAuthenticationDetailsProvider {
  return new common.SimpleAuthenticationDetailsProvider(
    key.tenancy,
    key.user,
    key.fingerprint,
    key.privateKeyPem,
    null,
  );
}

export interface SignOptions {
  readonly method: common.Method;
  readonly url: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** A session key pair, as `oci session authenticate` or a resource principal holds one. */
export interface SessionKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export function newSessionKey(): SessionKey {
  const { privateKeyPem, publicKeyPem } = newApiKey();
  return { privateKeyPem, publicKeyPem };
}

/** Signs as oci-common's token-based providers do: `keyId="ST$<token>"`, the session key's signature. */
export function securityTokenProvider(token: string, key: SessionKey): common.AuthenticationDetailsProvider {
  return {
    getKeyId: () => Promise.resolve(`ST$${token}`),
    getPrivateKey: () => key.privateKeyPem,
    getPassphrase: () => null,
  };
}

/** The headers oci-common's signer adds (authorization, x-date, host, and the body headers for POST/PUT). */
export async function signedHeaders(
  key: ApiKey | common.AuthenticationDetailsProvider,
  options: SignOptions,
): Promise<Record<string, string>> {
  const headers = new Headers(options.headers ?? {});
  if (options.body !== undefined && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  const signer = "getKeyId" in key ? key : provider(key);
  await new common.DefaultRequestSigner(signer).signHttpRequest({
    method: options.method,
    uri: options.url,
    headers,
    body: options.body,
  });
  return Object.fromEntries(headers.entries());
}

export async function signedRequest(
  key: ApiKey | common.AuthenticationDetailsProvider,
  options: SignOptions & { ca?: string },
): Promise<HttpResult> {
  const headers = await signedHeaders(key, options);
  return httpRequest(options.url, {
    method: options.method,
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  });
}
