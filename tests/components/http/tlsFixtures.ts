/**
 * Throwaway certificates for the HTTP client's tests: a CA, a leaf it signed for 127.0.0.1, an expired
 * leaf, and a leaf for another host name. ECDSA P-256 keeps generation fast.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import "reflect-metadata";

import { webcrypto } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as x509 from "@peculiar/x509";

// @peculiar/x509 types its provider with the DOM's Crypto; Node's webcrypto is that API.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 60 * 60 * 1000;

export interface LeafPem {
  readonly cert: string;
  readonly key: string;
}

export interface TlsFixtures {
  readonly caPem: string;
  readonly caFile: string;
  /** Another CA's file: valid PEM, but not the one that signed anything here. */
  readonly otherCaFile: string;
  readonly good: LeafPem;
  readonly expired: LeafPem;
  readonly wrongHost: LeafPem;
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
}

async function makeCa(name: string): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: ALG,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { cert, keys };
}

async function makeLeaf(
  ca: { cert: x509.X509Certificate; keys: CryptoKeyPair },
  san: x509.JsonGeneralName[],
  notBefore: Date,
  notAfter: Date,
): Promise<LeafPem> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=test-server",
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALG,
    notBefore,
    notAfter,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.SubjectAlternativeNameExtension(san),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

export async function makeTlsFixtures(): Promise<TlsFixtures> {
  const ca = await makeCa("verifier-test-ca");
  const other = await makeCa("some-other-ca");
  const now = Date.now();
  const loopback: x509.JsonGeneralName[] = [
    { type: "ip", value: "127.0.0.1" },
    { type: "dns", value: "localhost" },
  ];
  const dir = mkdtempSync(join(tmpdir(), "http-tls-"));
  const caPem = ca.cert.toString("pem");
  const caFile = join(dir, "ca.pem");
  const otherCaFile = join(dir, "other-ca.pem");
  writeFileSync(caFile, caPem);
  writeFileSync(otherCaFile, other.cert.toString("pem"));
  return {
    caPem,
    caFile,
    otherCaFile,
    good: await makeLeaf(ca, loopback, new Date(now - DAY), new Date(now + 30 * DAY)),
    expired: await makeLeaf(ca, loopback, new Date(now - 10 * DAY), new Date(now - DAY)),
    wrongHost: await makeLeaf(
      ca,
      [{ type: "dns", value: "elsewhere.example" }],
      new Date(now - DAY),
      new Date(now + 30 * DAY),
    ),
  };
}
