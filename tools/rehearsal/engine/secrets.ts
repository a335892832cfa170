import type * as rpcModule from "@pulumi/pulumi/runtime/rpc";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { specialSigKey, specialSecretSig } = require("@pulumi/pulumi/runtime/rpc") as typeof rpcModule;

/**
 * Plain values out of the wire form a mock monitor sees, where a secret is `{ <sig key>: <secret sig>, value }`.
 * Providers get plain values from the engine; the state keeps them encrypted.
 */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) return unwrapSecrets(record["value"]);
  return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, unwrapSecrets(child)]));
}
