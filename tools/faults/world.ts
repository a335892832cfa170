/**
 * What the cells of the fault matrix share: an emulator (in this process, TLS with its own CA, trusting one
 * throwaway OCI API key), a second OIC instance for tokens of another audience, and a setup provider that makes
 * and removes the clients a cell needs through the same emulated OCI provider the rehearsal uses, with no fault
 * in force. Every secret it sees (client secrets, the admin secret, the API key, tokens it is handed) goes to the
 * leak scanner.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../emulator";
import { createHttpClient, type HttpClient, type HttpResponse } from "../../components/http";
import { deactivateApp } from "../../components/identityDomain";
import { deployerAuthentication, newDeployerKey, type DeployerKey } from "../rehearsal/deployerKey";
import { emulatedOciProvider, type EmulatedOciProvider } from "../rehearsal/ociProvider/emulatedProvider";
import type { RetryBudgets } from "../rehearsal/ociProvider/retryPolicy";
import { createSignedClient, type SignedClient } from "../../components/signing";
import { virtualClock, type VirtualClock } from "./clock";
import { type LeakScanner } from "./leaks";

export const SECOND_INSTANCE = "oicprod-other-ia";
const APP_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:App";
const GRANT_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:Grant";
const TEMPLATE = "CustomWebAppTemplateId";

export interface World {
  readonly emu: EmulatorHandle;
  readonly key: DeployerKey;
  readonly caFile: string;
  readonly scanner: LeakScanner;
  /** Makes and removes what a cell needs; never under a fault. */
  readonly setup: EmulatedOciProvider;
  /** The OIC roles of the first instance, by name. */
  readonly roleIds: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** An HTTP client whose token answers are read for the leak scanner before the caller sees them. */
export function tappedHttp(http: HttpClient, scanner: LeakScanner): HttpClient {
  const tap = (response: HttpResponse): HttpResponse => {
    try {
      const body = JSON.parse(response.body) as { access_token?: unknown; clientSecret?: unknown };
      if (typeof body.access_token === "string") scanner.addSecret("access token", body.access_token);
      if (typeof body.clientSecret === "string") scanner.addSecret("client secret", body.clientSecret);
    } catch {
      // Not JSON (an injected fault): nothing to learn.
    }
    return response;
  };
  return {
    request: async (request) => tap(await http.request(request)),
    timeoutMs: http.timeoutMs,
    allowPlainHttpOnLoopback: http.allowPlainHttpOnLoopback,
    close: () => http.close(),
  };
}

/** A client signed with the world's API key, over a fresh connection pool (so a certificate change is seen). */
export async function signedClient(
  world: Pick<World, "key" | "caFile" | "scanner">,
  timeoutMs?: number,
): Promise<{ client: SignedClient; http: HttpClient }> {
  const http = tappedHttp(
    createHttpClient({ caFile: world.caFile, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
    world.scanner,
  );
  return { client: createSignedClient(http, await deployerAuthentication(world.key)), http };
}

/** The provider under test: its own connections, short budgets if asked, the virtual clock. */
export async function providerUnderTest(
  world: World,
  clock: VirtualClock,
  budgets: Partial<RetryBudgets>,
  timeoutMs?: number,
): Promise<{ provider: EmulatedOciProvider; close: () => void }> {
  const { client, http } = await signedClient(world, timeoutMs);
  const provider = emulatedOciProvider({
    client,
    integrationEndpoint: world.emu.idcsUrl,
    retry: { budgets, clock },
  });
  return { provider, close: () => http.close() };
}

export async function startWorld(scanner: LeakScanner, options: EmulatorOptions = {}): Promise<World> {
  const key = newDeployerKey();
  scanner.addSecret("private key", key.credentials.privateKey);
  const emu = await startEmulator({
    adminPublicKeyPem: key.publicKeyPem,
    adminKeyTenancyOcid: key.credentials.tenancyOcid,
    adminKeyUserOcid: key.credentials.userOcid,
    instances: [{ name: SECOND_INSTANCE }],
    ...options,
  });
  scanner.addSecret("admin secret", emu.admin.clientSecret);
  if (emu.caFile === null) throw new Error("the fault matrix needs the emulator with TLS");
  const caFile = emu.caFile;
  const { client, http } = await signedClient({ key, caFile, scanner });
  const setup = emulatedOciProvider({
    client,
    integrationEndpoint: emu.idcsUrl,
    retry: { clock: virtualClock() },
  });
  const roles = await setup.getAppRoles({
    idcsEndpoint: emu.idcsUrl,
    appRoleFilter: `app.value eq "${emu.oicAppId}"`,
  });
  const roleIds = new Map(
    (roles["appRoles"] as Array<{ id: string; displayName: string }>).map((role) => [
      role.displayName,
      role.id,
    ]),
  );
  return {
    emu,
    key,
    caFile,
    scanner,
    setup,
    roleIds,
    close: async () => {
      http.close();
      await emu.close();
    },
  };
}

let counter = 0;

/** What OicConfidentialClient registers for its app, in pulumi-oci's names. */
export function appInputs(world: World, fqs: readonly string[], active = true): Record<string, unknown> {
  counter += 1;
  return {
    idcsEndpoint: world.emu.idcsUrl,
    schemas: [APP_SCHEMA],
    basedOnTemplate: { value: TEMPLATE, wellKnownId: TEMPLATE },
    displayName: `faults-${process.pid}-${counter}`,
    description: "fault matrix",
    isOauthClient: true,
    clientType: "confidential",
    allowedGrants: ["client_credentials"],
    allowedScopes: fqs.map((value) => ({ fqs: value })),
    active,
    attributeSets: ["all"],
  };
}

/** What OicConfidentialClient registers for a grant of `role` (of the first instance) to `appId`. */
export function grantInputs(world: World, appId: string, role: string): Record<string, unknown> {
  const roleId = world.roleIds.get(role);
  if (roleId === undefined) throw new Error(`no OIC role ${role}`);
  return {
    idcsEndpoint: world.emu.idcsUrl,
    schemas: [GRANT_SCHEMA],
    grantMechanism: "ADMINISTRATOR_TO_APP",
    grantee: { type: "App", value: appId },
    app: { value: world.emu.oicAppId },
    entitlement: { attributeName: "appRoles", attributeValue: roleId },
    attributeSets: ["all"],
  };
}

/** A resource as the engine's state knows it: what `pulumi destroy` can delete. */
export interface Known {
  readonly type: "app" | "grant";
  readonly id: string;
  readonly state: Record<string, unknown>;
}

export interface MadeClient {
  readonly appId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly known: Known[];
}

export interface ClientSpec {
  readonly scopes?: readonly string[];
  readonly roles?: readonly string[];
  readonly active?: boolean;
}

/** A confidential client made as the program makes it (app, then one grant per role), with no fault in force. */
export async function makeClient(world: World, spec: ClientSpec = {}): Promise<MadeClient> {
  const app = await world.setup.createApp(
    appInputs(world, spec.scopes ?? [world.emu.scopes.icApi], spec.active ?? true),
  );
  const clientId = String(app.state["name"]);
  const clientSecret = String(app.state["clientSecret"]);
  world.scanner.addSecret("client secret", clientSecret);
  world.scanner.addBasicCredential(clientId, clientSecret);
  const known: Known[] = [{ type: "app", id: app.id, state: app.state }];
  for (const role of spec.roles ?? ["ServiceUser"]) {
    const grant = await world.setup.createGrant(grantInputs(world, app.id, role));
    known.push({ type: "grant", id: grant.id, state: grant.state });
  }
  return { appId: app.id, clientId, clientSecret, known };
}

/**
 * `pulumi destroy` of what the state knows, run again after the fault is gone (as an operator would): grants,
 * then each app deactivated and deleted. An app already gone is fine.
 */
export async function destroyKnown(world: World, known: readonly Known[]): Promise<void> {
  for (const grant of known.filter((k) => k.type === "grant"))
    await world.setup.deleteGrant(grant.id, grant.state);
  for (const app of known.filter((k) => k.type === "app")) {
    await deactivateApp(
      {
        idcsEndpoint: world.emu.idcsUrl,
        appId: app.id,
        signWith: { settings: world.key.credentials, env: {} },
        caFile: world.caFile,
      },
      virtualClock(),
    );
    await world.setup.deleteApp(app.id, app.state);
  }
}
