/**
 * `startEmulator(options)`: a local OCI identity domain (SCIM admin API, token endpoint, JWKS, the OCI
 * Integration control-plane read) and Oracle Integration's runtime and design-time hosts, on loopback.
 * See docs/emulator.md.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import https from "node:https";
import { type DomainInfo, type EmulatorContext } from "./context";
import { registerControlApi } from "./controlApi";
import { registerControlPlane } from "./controlPlane";
import { FaultRegistry } from "./faults";
import { randomHex, newOcid } from "./ids";
import { registerApps } from "./identity/apps";
import { registerAppRoles } from "./identity/appRoles";
import { registerGrants } from "./identity/grants";
import { generateSigningKeys, jwksReply } from "./identity/jwks";
import { RetryTokens } from "./identity/scimRoute";
import { SecurityTokenIssuer } from "./identity/securityTokens";
import { keyFingerprint, type TrustedKey } from "./identity/signature";
import { registerStatusChanger } from "./identity/statusChanger";
import { registerToken } from "./identity/token";
import { registerDeveloperApi } from "./oic/developerApi";
import { runtimeRedirect } from "./oic/redirect";
import { Propagation } from "./propagation";
import { RequestLog } from "./requestLog";
import { Router } from "./router";
import { DEFAULT_INSTANCE, newAdminClient, planInstances, seedDomain } from "./seed";
import { closeListeners, type Pipeline, startListeners } from "./server";
import { DomainStore, str } from "./store";
import { generateTlsMaterial, LOOPBACK_HOSTS, writeCaFile } from "./tls";
import { ADMIN_SCOPE } from "./identity/auth";
import {
  type CertificateTrust,
  type EmulatorControl,
  type EmulatorHost,
  type EmulatorHandle,
  type EmulatorOptions,
  type EmulatorStateSnapshot,
  MISSING_ROLE_ANSWERS,
} from "./types";

export * from "./types";

/** Service-instance names as OCI forms them: lower-case letters, digits and hyphens (one DNS label). */
const INSTANCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function checkOptions(options: EmulatorOptions): void {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Invalid port ${String(options.port)}: use 0-65535.`);
  const ttl = options.tokenTtlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 0)
    throw new Error(`Invalid tokenTtlSeconds ${String(ttl)}: use a non-negative integer.`);
  const names = new Set<string>([DEFAULT_INSTANCE.name]);
  for (const instance of options.instances ?? []) {
    if (!INSTANCE_NAME.test(instance.name)) {
      throw new Error(
        `Invalid instance name "${instance.name}": use lower-case letters, digits and hyphens.`,
      );
    }
    if (instance.region !== undefined && !/^[a-z]+(?:-[a-z]+)+-\d+$/.test(instance.region)) {
      throw new Error(
        `Invalid region "${instance.region}" for ${instance.name}: use an OCI region name like us-ashburn-1.`,
      );
    }
    if (names.has(instance.name)) throw new Error(`Duplicate instance name "${instance.name}".`);
    names.add(instance.name);
    const count = instance.connections ?? 0;
    if (!Number.isInteger(count) || count < 0 || count > 1000)
      throw new Error(`Invalid connections count ${count} for ${instance.name}: use 0-1000.`);
  }
  const answer = options.missingRoleAnswer;
  if (answer !== undefined && !MISSING_ROLE_ANSWERS.includes(answer)) {
    throw new Error(
      `Invalid missingRoleAnswer "${String(answer)}": use ${MISSING_ROLE_ANSWERS.slice(0, -1).join(", ")} or ${MISSING_ROLE_ANSWERS.at(-1) ?? ""}.`,
    );
  }
  for (const delay of Object.values(options.propagation ?? {})) {
    if (delay !== undefined && (!Number.isInteger(delay) || delay < 0))
      throw new Error(`Invalid propagation delay ${String(delay)}.`);
  }
}

function trustedKey(
  pem: string,
  tenancyOcid: string | undefined,
  userOcid: string | undefined,
  what: string,
): TrustedKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`${what} is not a PEM public key.`);
  }
  return { publicKey: key, fingerprint: keyFingerprint(key), tenancyOcid, userOcid };
}

/** `adminPublicKeyPem` (with its tenancy and user), then `trustedApiKeys`. */
function trustedKeys(options: EmulatorOptions): TrustedKey[] {
  const { adminPublicKeyPem: pem, adminKeyTenancyOcid: tenancyOcid, adminKeyUserOcid: userOcid } = options;
  if (pem === undefined && (tenancyOcid !== undefined || userOcid !== undefined))
    throw new Error("adminKeyTenancyOcid and adminKeyUserOcid need adminPublicKeyPem, the key they own.");
  return [
    ...(pem === undefined ? [] : [trustedKey(pem, tenancyOcid, userOcid, "adminPublicKeyPem")]),
    ...(options.trustedApiKeys ?? []).map((key, index) =>
      trustedKey(key.publicKeyPem, key.tenancyOcid, key.userOcid, `trustedApiKeys[${index}].publicKeyPem`),
    ),
  ];
}

function snapshot(ctx: EmulatorContext): EmulatorStateSnapshot {
  return {
    apps: [...ctx.store.apps.values()]
      .filter((app) => app.origin === "api")
      .map((app) => ({
        id: str(app.resource, "id") ?? "",
        name: str(app.resource, "name") ?? "",
        displayName: str(app.resource, "displayName") ?? "",
        active: app.resource.active === true,
        isOAuthClient: app.resource.isOAuthClient === true,
      })),
    grants: [...ctx.store.grants.values()]
      .filter((grant) => grant.origin === "api")
      .map((grant) => ({
        id: grant.id,
        granteeId: grant.granteeId,
        appId: grant.appId ?? "",
        roleId: grant.roleId ?? "",
      })),
  };
}

function buildRouters(ctx: EmulatorContext): Pipeline["routers"] {
  const identity = new Router();
  const retryTokens = new RetryTokens();
  registerApps(identity, ctx, retryTokens);
  registerAppRoles(identity, ctx);
  registerGrants(identity, ctx, retryTokens);
  registerStatusChanger(identity, ctx);
  registerToken(identity, ctx);
  identity.add("GET", "/admin/v1/SigningCert/jwk", () => jwksReply(ctx.keys));
  registerControlPlane(identity, ctx);
  const runtime = new Router();
  for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]) {
    runtime.add(method, "/ic/api/*", (request) => runtimeRedirect(ctx, request));
  }
  const designTime = new Router();
  registerDeveloperApi(designTime, ctx);
  return { identity, runtime, designTime };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  checkOptions(options);
  const adminKeys = trustedKeys(options);
  const [tls, untrustedTls, keys] = await Promise.all([
    options.http ? undefined : generateTlsMaterial(),
    // The `untrusted` certificate: a server certificate of another CA, never written anywhere.
    options.http ? undefined : generateTlsMaterial(),
    generateSigningKeys(),
  ]);
  const ca = tls ? await writeCaFile(tls.caPem, options.stateDir) : undefined;
  const log = new RequestLog(options.onRequest);
  const pipeline: Pipeline = { routers: undefined, control: undefined, faults: new FaultRegistry(), log };
  const listeners = await startListeners(pipeline, options.port ?? 0, tls).catch(async (error: unknown) => {
    await ca?.cleanup();
    throw error;
  });
  const scheme = tls ? "https" : "http";
  const url = (host: keyof typeof LOOPBACK_HOSTS): string =>
    `${scheme}://${LOOPBACK_HOSTS[host]}:${listeners.find((l) => l.host === host)?.port ?? 0}`;
  const info: DomainInfo = {
    idcsUrl: url("identity"),
    runtimeUrl: url("runtime"),
    designTimeUrl: url("designTime"),
    tenant: `idcs-${randomHex(16)}`,
    domainOcid: newOcid("domain"),
    compartmentOcid: newOcid("compartment"),
    tenancyOcid: newOcid("tenancy"),
  };
  const propagation = new Propagation(options.propagation);
  const ctx: EmulatorContext = {
    info,
    store: new DomainStore(),
    propagation,
    oic: { missingRoleAnswer: options.missingRoleAnswer ?? "401-not-authorized" },
    keys,
    instances: planInstances(options.instances ?? [], Date.now()),
    admin: newAdminClient(),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    adminKeys,
    securityTokens: new SecurityTokenIssuer(() => ctx.now()),
    now: () => Date.now(),
  };
  let seededApps: EmulatorHandle["seededApps"];
  try {
    seededApps = seedDomain(ctx, options.apps ?? []);
  } catch (error) {
    await closeListeners(listeners);
    await ca?.cleanup();
    throw error;
  }

  const certificates: Record<EmulatorHost, CertificateTrust> = {
    identity: "trusted",
    runtime: "trusted",
    designTime: "trusted",
  };
  const setCertificate = (host: EmulatorHost, certificate: CertificateTrust): void => {
    const listener = listeners.find((l) => l.host === host);
    if (!listener) throw new Error(`Unknown host "${String(host)}": use identity, runtime or designTime.`);
    const material = certificate === "trusted" ? tls : certificate === "untrusted" ? untrustedTls : undefined;
    if (!tls || !material || !(listener.server instanceof https.Server)) {
      if (!tls) throw new Error("The emulator serves plain HTTP: there is no certificate to change.");
      throw new Error(`Invalid certificate "${String(certificate)}": use trusted or untrusted.`);
    }
    listener.server.setSecureContext({ key: material.keyPem, cert: material.certPem });
    certificates[host] = certificate;
  };

  const control: EmulatorControl = {
    injectFault: (fault) => pipeline.faults.add(fault),
    clearFaults: () => pipeline.faults.clear(),
    setPropagationDelays: (delays) => propagation.set(delays),
    setMissingRoleAnswer: (answer) => {
      if (!MISSING_ROLE_ANSWERS.includes(answer))
        throw new Error(`Invalid missingRoleAnswer "${String(answer)}".`);
      ctx.oic.missingRoleAnswer = answer;
    },
    oic: () => ({ ...ctx.oic }),
    setCertificate,
    certificates: () => ({ ...certificates }),
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    state: () => snapshot(ctx),
    mintSecurityToken: (options) => ctx.securityTokens.mint(options),
  };
  if (options.controlApi) {
    pipeline.control = new Router();
    registerControlApi(pipeline.control, control, () => propagation.current());
  }
  pipeline.routers = buildRouters(ctx);

  const [first] = ctx.instances;
  if (!first) throw new Error("No OIC instance was planned.");
  const instances = ctx.instances.map((instance) => ({
    integrationInstance: instance.name,
    integrationInstanceId: instance.id,
    oicAppId: instance.appId,
    audience: instance.audience,
    scopes: instance.scopes,
  }));
  let closed: Promise<void> | undefined;
  return {
    idcsUrl: info.idcsUrl,
    runtimeUrl: info.runtimeUrl,
    designTimeUrl: info.designTimeUrl,
    integrationInstance: first.name,
    integrationInstanceId: first.id,
    oicAppId: first.appId,
    audience: first.audience,
    scopes: first.scopes,
    caFile: ca?.caFile ?? null,
    admin: { clientId: ctx.admin.clientId, clientSecret: ctx.admin.clientSecret, scope: ADMIN_SCOPE },
    control,
    instances,
    seededApps,
    close: () => {
      closed ??= closeListeners(listeners).then(() => ca?.cleanup());
      return closed;
    },
  };
}
