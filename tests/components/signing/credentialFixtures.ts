/**
 * An in-memory home folder for the credential resolver: files by absolute path, a reader that fails as node:fs
 * does (ENOENT), and API keys whose PEM, passphrase and fingerprint are known, so that a test can tell which key
 * was resolved and scan every message for them.
 */
import { createPrivateKey } from "node:crypto";

import type { CredentialSources } from "../../../components/signing";
import { newApiKey, type ApiKey } from "../../tools/emulator/ociSigning";

export const HOME = "/home/dev";
export const CWD = "/work/project";

export interface FakeFiles {
  readonly files: Map<string, string>;
  readFile(path: string): Promise<string>;
  /** Every path the resolver asked for, in order. */
  readonly reads: string[];
}

export function fakeFiles(initial: Record<string, string> = {}): FakeFiles {
  const files = new Map(Object.entries(initial));
  const reads: string[] = [];
  return {
    files,
    reads,
    readFile(path) {
      reads.push(path);
      const text = files.get(path);
      if (text === undefined)
        return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" }));
      return Promise.resolve(text);
    },
  };
}

/** Sources over fake files, an empty environment unless given, the fake home and working directory. */
export function sources(
  fs: FakeFiles,
  settings: CredentialSources["settings"] = {},
  env: CredentialSources["env"] = {},
  extra: Partial<CredentialSources> = {},
): CredentialSources {
  return { settings, env, readFile: (path) => fs.readFile(path), homeDir: HOME, cwd: CWD, ...extra };
}

/** An API key with a tenancy and user of its own (`label` tells them apart) and an encrypted copy of its PEM. */
export interface LabelledKey extends ApiKey {
  readonly label: string;
  readonly passphrase: string;
  readonly encryptedPem: string;
}

export function labelledKey(label: string): LabelledKey {
  const key = newApiKey(`ocid1.user.oc1..user${label}`);
  const passphrase = `passphrase-of-${label}-${Math.random().toString(36).slice(2)}`;
  return {
    ...key,
    tenancy: `ocid1.tenancy.oc1..tenancy${label}`,
    label,
    passphrase,
    encryptedPem: createPrivateKey(key.privateKeyPem)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase })
      .toString(),
  };
}

/** The key as the resolver hands it on: unencrypted PKCS#8 PEM. */
export function normalized(key: ApiKey): string {
  return createPrivateKey(key.privateKeyPem).export({ type: "pkcs8", format: "pem" }).toString();
}

/** A config-file profile naming `key`'s identity, with the key at `keyFile`. */
export function profileText(
  name: string,
  key: ApiKey,
  keyFile: string,
  extra: Record<string, string> = {},
): string {
  const entries = {
    user: key.user,
    fingerprint: key.fingerprint,
    tenancy: key.tenancy,
    region: "us-ashburn-1",
    key_file: keyFile,
    ...extra,
  };
  return [`[${name}]`, ...Object.entries(entries).map(([k, v]) => `${k}=${v}`), ""].join("\n");
}

/** The secrets of keys: neither may appear in any message, summary or serialized result. */
export function secretsOf(...keys: LabelledKey[]): string[] {
  return keys.flatMap((key) => [
    key.privateKeyPem,
    normalized(key),
    key.encryptedPem,
    key.passphrase,
    // A line from the middle of each PEM: a fragment is as bad as the whole.
    ...[key.privateKeyPem, normalized(key), key.encryptedPem].map((pem) => pem.split("\n")[5] ?? ""),
  ]);
}
