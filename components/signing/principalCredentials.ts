/**
 * The modes that sign with a principal's security token, fetched from a service the resolver cannot reach ahead
 * of time: what it can check is that oci-common will find what it reads (environment variables, files) and, for
 * the instance principal, the region the provider insists on.
 */
import { isAbsolute } from "node:path";

import { quoted } from "../http";
import { OciAuthMode } from "./authModes";
import type { Lookup } from "./credentialSources";
import { parsePrivateKey } from "./privateKey";
import { placesOf, settingValue, type OciSetting } from "./providerSettings";
import type { CredentialResolution } from "./resolvedCredentials";
import { tokenExpiry } from "./tokenExpiry";

type Failure = Extract<CredentialResolution, { ok: false }>;

function failure(auth: OciAuthMode, authFrom: string, lookedAt: string[], problems: string[]): Failure {
  return {
    ok: false,
    auth,
    lookedAt,
    message: `cannot resolve the OCI credentials for auth ${auth} (${authFrom}): ${problems.join("; ")}. Looked at: ${lookedAt.join(", ")}.`,
  };
}

/** The API-key settings the provider ignores with an instance principal (provider.go L427-430, L43). */
const API_KEY_SETTINGS: readonly OciSetting[] = [
  "userOcid",
  "fingerprint",
  "privateKey",
  "privateKeyPath",
  "privateKeyPassword",
];

/**
 * provider.go L426-443: the region must be set (`can not get region from Terraform configuration
 * (InstancePrincipal)`), then the SDK federates with the instance's certificate from the metadata service.
 * oci-common's InstancePrincipalsAuthenticationDetailsProviderBuilder does the same from 169.254.169.254.
 */
export function instancePrincipal(lookup: Lookup, authFrom: string): CredentialResolution {
  const region = settingValue(lookup.settings, "region", lookup.origin, lookup.env);
  const lookedAt = [
    ...placesOf("region", lookup.origin),
    "the instance metadata service (when the step runs)",
  ];
  if (!region) return failure(OciAuthMode.InstancePrincipal, authFrom, lookedAt, ["no region is set"]);
  const ignored = API_KEY_SETTINGS.map((setting) =>
    settingValue(lookup.settings, setting, lookup.origin, lookup.env),
  )
    .filter((found) => found !== undefined)
    .map((found) => found.from);
  return {
    ok: true,
    credentials: {
      auth: OciAuthMode.InstancePrincipal,
      authFrom,
      signer: { kind: "instancePrincipal", region: region.value },
      lookedAt,
      summary:
        `the instance principal of this compute instance (its certificate from the instance metadata service ` +
        `when the step runs; region ${quoted(region.value)} from ${region.from})` +
        (ignored.length > 0 ? `; ignored, as the provider ignores them: ${ignored.join(", ")}` : ""),
    },
  };
}

/** oci-common lib/auth/resource-principal-authentication-details-provider.js, `build()` and `build_2_2()`. */
const RP = {
  version: "OCI_RESOURCE_PRINCIPAL_VERSION",
  rpst: "OCI_RESOURCE_PRINCIPAL_RPST",
  privatePem: "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM",
  passphrase: "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE",
  region: "OCI_RESOURCE_PRINCIPAL_REGION",
} as const;

/**
 * provider.go L520-533 hands over to the SDK's resource principal provider; oci-common's builder supports version
 * 2.2 only, where the token (RPST) and the private key are each an absolute path or the value itself, and the
 * region is required. Values that are not paths are secrets and never shown.
 */
export async function resourcePrincipal(lookup: Lookup, authFrom: string): Promise<CredentialResolution> {
  const lookedAt: string[] = Object.values(RP);
  const problems: string[] = [];
  const env = (name: string) => {
    const value = lookup.env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const version = env(RP.version);
  if (version === undefined) problems.push(`${RP.version} is unset`);
  else if (version !== "2.2")
    problems.push(`${RP.version} is ${quoted(version)}, and oci-common supports only "2.2"`);
  const contentOf = async (name: string): Promise<string | undefined> => {
    const value = env(name);
    if (value === undefined) {
      problems.push(`${name} is unset`);
      return undefined;
    }
    if (!isAbsolute(value)) return value;
    const read = await lookup.read(value);
    if (read.ok) return read.text;
    problems.push(`${name} names ${lookup.show(value)}: ${read.reason}`);
    return undefined;
  };
  const token = await contentOf(RP.rpst);
  const pem = await contentOf(RP.privatePem);
  const passphraseValue = env(RP.passphrase);
  const pemIsPath = env(RP.privatePem) !== undefined && isAbsolute(env(RP.privatePem) ?? "");
  let passphrase = passphraseValue;
  if (passphraseValue !== undefined && pemIsPath && !isAbsolute(passphraseValue)) {
    problems.push(`${RP.privatePem} is a path, so ${RP.passphrase} must be one too (oci-common)`);
  } else if (passphraseValue !== undefined && pemIsPath) {
    const read = await lookup.read(passphraseValue);
    passphrase = read.ok ? read.text : undefined;
    if (!read.ok) problems.push(`${RP.passphrase} names ${lookup.show(passphraseValue)}: ${read.reason}`);
  }
  if (pem !== undefined) {
    const parsed = parsePrivateKey(pem, passphrase);
    if (!parsed.ok) problems.push(`the key of ${RP.privatePem} ${parsed.reason}`);
  }
  const expiresAt = token === undefined ? undefined : tokenExpiry(token);
  if (expiresAt !== undefined && expiresAt <= lookup.now())
    problems.push(`the token of ${RP.rpst} expired at ${new Date(expiresAt).toISOString()}`);
  const region = env(RP.region);
  if (region === undefined) problems.push(`${RP.region} is unset`);
  if (problems.length > 0 || region === undefined)
    return failure(OciAuthMode.ResourcePrincipal, authFrom, lookedAt, problems);
  return {
    ok: true,
    credentials: {
      auth: OciAuthMode.ResourcePrincipal,
      authFrom,
      signer: { kind: "resourcePrincipal", region },
      lookedAt,
      summary:
        `the resource principal of ${RP.rpst} and ${RP.privatePem} (version 2.2, region ${quoted(region)})` +
        (expiresAt === undefined ? "" : `, its token valid until ${new Date(expiresAt).toISOString()}`),
    },
  };
}

/** oci-common lib/auth/oke-workload-identity-authentication-details-provider.js, the builder's `build()`. */
const OKE = {
  host: "KUBERNETES_SERVICE_HOST",
  port: "KUBERNETES_SERVICE_PORT_PROXYMUX",
  caCert: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
  token: "/var/run/secrets/kubernetes.io/serviceaccount/token",
} as const;

/** provider.go L534-539: the SDK's OKE workload identity provider; oci-common's reads the same pod files. */
export async function okeWorkloadIdentity(lookup: Lookup, authFrom: string): Promise<CredentialResolution> {
  const lookedAt: string[] = [OKE.host, OKE.port, OKE.caCert, OKE.token];
  const problems: string[] = [];
  for (const name of [OKE.host, OKE.port]) {
    if (!lookup.env[name]) problems.push(`${name} is unset`);
  }
  for (const file of [OKE.caCert, OKE.token]) {
    const read = await lookup.read(file);
    if (!read.ok) problems.push(`${file}: ${read.reason}`);
  }
  if (problems.length > 0) return failure(OciAuthMode.OKEWorkloadIdentity, authFrom, lookedAt, problems);
  return {
    ok: true,
    credentials: {
      auth: OciAuthMode.OKEWorkloadIdentity,
      authFrom,
      signer: { kind: "okeWorkloadIdentity" },
      lookedAt,
      summary: `the OKE workload identity of this pod (its service-account token, exchanged through ${OKE.host}:${OKE.port} when the step runs)`,
    },
  };
}
