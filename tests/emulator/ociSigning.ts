/**
 * Signs requests exactly as the OCI TypeScript SDK does (oci-common's DefaultRequestSigner), so the emulator's
 * signature checks are exercised with Oracle's own signer.
 */
import { generateKeyPairSync } from "node:crypto";
import * as common from "oci-common";
import { httpRequest, type HttpResult } from "../support/emulator";

export interface ApiKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly tenancy: string;
  readonly user: string;
  readonly fingerprint: string;
}

export function newApiKey(user = "ocid1.user.oc1..aaaaaaaatestuser"): ApiKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    tenancy: "ocid1.tenancy.oc1..aaaaaaaatesttenancy",
    user,
    fingerprint: "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99",
  };
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

/** The headers oci-common's signer adds (authorization, x-date, host, and the body headers for POST/PUT). */
export async function signedHeaders(key: ApiKey, options: SignOptions): Promise<Record<string, string>> {
  const headers = new Headers(options.headers ?? {});
  if (options.body !== undefined && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  await new common.DefaultRequestSigner(provider(key)).signHttpRequest({
    method: options.method,
    uri: options.url,
    headers,
    body: options.body,
  });
  return Object.fromEntries(headers.entries());
}

export async function signedRequest(
  key: ApiKey,
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
