/**
 * What the domain holds before the first request: the domain's own app (`IDCSAppId`) with its
 * administrator roles, the seeded admin client, one identity-domain app per OIC instance (audience, the two
 * published scopes, the eight OIC roles), and any pre-existing customer apps from the options.
 */
import { randomBytes } from "node:crypto";
import { OIC_ROLES, OIC_SCOPE_VALUES, publishedFqs } from "./oic/oracleFacts";
import { type EmulatorContext, type OicInstance } from "./context";
import { newClientSecret, newOcid, newResourceId, regionKey } from "./ids";
import { appLocation, createAppRecord, serverFields } from "./identity/appModel";
import { ADMIN_ROLE_NAMES, IDCS_APP_ID, type Principal } from "./identity/auth";
import { seedAppRoleGrant } from "./identity/grants";
import { seedConnections } from "./oic/connections";
import { APP_ROLE_SCHEMA_URN, APP_SCHEMA_URN } from "./scim/schema";
import { type AppRecord, type Json, type Origin } from "./store";
import { type SeedApp, type SeedInstance } from "./types";

export const DEFAULT_INSTANCE: Required<SeedInstance> = {
  name: "oicdev-emulator-ia",
  region: "us-ashburn-1",
  connections: 12,
};
export const ADMIN_CLIENT_DISPLAY_NAME = "oic-emulator-admin";

/** Oracle-created resources are shown as made by the domain itself. */
export const SYSTEM_PRINCIPAL: Principal = { type: "App", value: IDCS_APP_ID, display: "IDCS Application" };

/** Descriptors of the OIC instances: the default one first, then the extra ones in order. */
export function planInstances(extra: readonly SeedInstance[], now: number): OicInstance[] {
  return [DEFAULT_INSTANCE, ...extra].map((seed) => {
    const region = seed.region ?? DEFAULT_INSTANCE.region;
    // The audience host is a GUID, not the runtime host name (Oracle's examples in
    // https://docs.oracle.com/cd/G41715_01/paas/application-integration/integrations-user/call-developer-apis-client-credentials.html).
    const guid = randomBytes(16).toString("hex").toUpperCase();
    const audience = `https://${guid}.integration.${region}.ocp.oraclecloud.com:443`;
    return {
      name: seed.name,
      region,
      id: newOcid("integrationinstance", regionKey(region)),
      displayName: seed.name.split("-")[0] ?? seed.name,
      appId: newResourceId(),
      // "_APPID" like other Oracle-created apps
      // (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/obtainoauthtokenidcs.htm); the
      // OIC 3 naming is unconfirmed (no public source shows it).
      appName: `${guid}_APPID`,
      appDisplayName: seed.name,
      audience,
      scopes: {
        consumerAll: publishedFqs(audience, OIC_SCOPE_VALUES.consumerAll),
        icApi: publishedFqs(audience, OIC_SCOPE_VALUES.icApi),
      },
      connections: seedConnections(seed.name, seed.connections ?? DEFAULT_INSTANCE.connections),
      timeCreated: now - 30 * 24 * 60 * 60 * 1000,
    };
  });
}

function oracleTemplate(ctx: EmulatorContext, value: string): Json {
  return { value, wellKnownId: value, $ref: `${ctx.info.idcsUrl}/admin/v1/AppTemplates/${value}` };
}

function putApp(ctx: EmulatorContext, id: string, origin: Origin, attributes: Json): AppRecord {
  const record: AppRecord = {
    resource: {
      schemas: [APP_SCHEMA_URN],
      ...serverFields(ctx, "App", id, appLocation(ctx, id), "domainapp", SYSTEM_PRINCIPAL, ctx.now()),
      ...attributes,
    },
    activeSince: attributes.active === true ? 0 : undefined,
    scopeAddedAt: new Map(),
    origin,
  };
  ctx.store.apps.set(id, record);
  return record;
}

function putRole(
  ctx: EmulatorContext,
  app: { id: string; name: string; displayName: string },
  role: Json,
): string {
  const id = newResourceId();
  const displayName = String(role.displayName);
  // serviceInstanceIdentifier belongs to the nested `app`, not to the role itself (oci-go-sdk
  // identitydomains/app_role_app.go).
  const { serviceInstanceIdentifier: _instance, ...roleAttributes } = role;
  ctx.store.roles.set(id, {
    id,
    appId: app.id,
    displayName,
    resource: {
      schemas: [APP_ROLE_SCHEMA_URN],
      ...serverFields(
        ctx,
        "AppRole",
        id,
        `${ctx.info.idcsUrl}/admin/v1/AppRoles/${id}`,
        "domainapprole",
        SYSTEM_PRINCIPAL,
        ctx.now(),
      ),
      // `<app>_<role>`, inferred from the documented "IDCSAppId_User Administrator"
      // (https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/WorkingWithApps.htm).
      uniqueName: `${app.name}_${displayName}`,
      app: {
        value: app.id,
        display: app.displayName,
        name: app.name,
        $ref: appLocation(ctx, app.id),
        ...(role.serviceInstanceIdentifier
          ? { serviceInstanceIdentifier: role.serviceInstanceIdentifier }
          : {}),
      },
      limitedToOneOrMoreGroups: false,
      public: false,
      ...roleAttributes,
    },
  });
  return id;
}

function seedIdentityDomainApp(ctx: EmulatorContext): void {
  const app = { id: IDCS_APP_ID, name: IDCS_APP_ID, displayName: "IDCS Application" };
  putApp(ctx, app.id, "oracle", {
    displayName: app.displayName,
    name: app.name,
    active: true,
    isOAuthClient: false,
    isOAuthResource: true,
    isOPCService: true,
    // basedOnTemplate is required on every App (oci-go-sdk identitydomains/app.go); Oracle's template ids are
    // unconfirmed.
    basedOnTemplate: oracleTemplate(ctx, "IDCSAppTemplateId"),
    meterAsOPCService: false,
    isAliasApp: false,
  });
  for (const displayName of [
    ...ADMIN_ROLE_NAMES,
    "User Administrator",
    "Security Administrator",
    "Audit Administrator",
  ]) {
    putRole(ctx, app, {
      displayName,
      description: `${displayName} of the identity domain`,
      adminRole: true,
      availableToUsers: true,
      availableToGroups: true,
      availableToClients: true,
    });
  }
}

function seedAdminClient(ctx: EmulatorContext): void {
  putApp(ctx, ctx.admin.appId, "admin", {
    displayName: ADMIN_CLIENT_DISPLAY_NAME,
    description: "Identity domain administrator client seeded by the emulator",
    name: ctx.admin.clientId,
    clientSecret: ctx.admin.clientSecret,
    active: true,
    isOAuthClient: true,
    isOAuthResource: false,
    clientType: "confidential",
    allowedGrants: ["client_credentials"],
    trustScope: "Explicit",
    clientIPChecking: "anywhere",
    accessTokenExpiry: 3600,
    basedOnTemplate: { value: "CustomWebAppTemplateId", wellKnownId: "CustomWebAppTemplateId" },
  });
  const role = ctx.store.rolesOf(IDCS_APP_ID).find((r) => r.displayName === ADMIN_ROLE_NAMES[0]);
  if (role) seedAppRoleGrant(ctx, ctx.admin.appId, IDCS_APP_ID, role.id, SYSTEM_PRINCIPAL, "admin");
}

const ROLE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  ServiceAdministrator: "Administers the instance: all design, monitoring and administration tasks",
  ServiceDeveloper: "Develops integrations, connections and other design-time artifacts",
  ServiceMonitor: "Monitors integrations and their runtime",
  ServiceDeployer: "Imports, exports and activates integrations",
  ServiceUser: "Views design-time artifacts and calls the Developer APIs",
  ServiceInvoker: "Invokes integration endpoints",
  ServiceViewer: "Views design-time artifacts",
  ServiceEndUser: "Uses the instance as an end user",
};

function seedOicInstance(ctx: EmulatorContext, instance: OicInstance): void {
  putApp(ctx, instance.appId, "oracle", {
    displayName: instance.appDisplayName,
    name: instance.appName,
    description: `Oracle Integration instance ${instance.name}`,
    active: true,
    isOAuthClient: false,
    isOAuthResource: true,
    isOPCService: true,
    // basedOnTemplate is required on every App (oci-go-sdk identitydomains/app.go); Oracle's template ids are
    // unconfirmed.
    basedOnTemplate: oracleTemplate(ctx, "OPCServiceAppTemplateId"),
    meterAsOPCService: true,
    isAliasApp: false,
    // The OIC app's serviceTypeURN is unconfirmed (no public source shows it); INTEGRATIONCAUTO is the PSM
    // name.
    serviceTypeURN: "INTEGRATIONCAUTO",
    audience: instance.audience,
    scopes: [
      {
        value: OIC_SCOPE_VALUES.consumerAll,
        fqs: instance.scopes.consumerAll,
        description: "Integration endpoints and Developer APIs",
        requiresConsent: false,
        readOnly: true,
      },
      {
        value: OIC_SCOPE_VALUES.icApi,
        fqs: instance.scopes.icApi,
        description: "Developer APIs",
        requiresConsent: false,
        readOnly: true,
      },
    ],
  });
  const app = { id: instance.appId, name: instance.appName, displayName: instance.appDisplayName };
  for (const displayName of OIC_ROLES) {
    putRole(ctx, app, {
      displayName,
      description: ROLE_DESCRIPTIONS[displayName] ?? displayName,
      // OIC role flags are unconfirmed (no public source shows them): grantable to users, groups and
      // clients alike.
      adminRole: false,
      availableToUsers: true,
      availableToGroups: true,
      availableToClients: true,
      serviceInstanceIdentifier: instance.name,
    });
  }
}

function seedCustomerApp(
  ctx: EmulatorContext,
  seed: SeedApp,
): { id: string; displayName: string; clientId: string; clientSecret: string } {
  const instance = ctx.instances.find((i) => i.name === (seed.instance ?? ctx.instances[0]?.name));
  if (!instance)
    throw new Error(`Seed app "${seed.displayName}": no OIC instance named "${seed.instance ?? ""}".`);
  const created = createAppRecord(
    ctx,
    {
      schemas: [APP_SCHEMA_URN],
      displayName: seed.displayName,
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      isOAuthClient: true,
      clientType: "confidential",
      allowedGrants: ["client_credentials"],
      allowedScopes: (seed.scopes ?? []).map((kind) => ({ fqs: instance.scopes[kind] })),
      active: seed.active ?? true,
    },
    SYSTEM_PRINCIPAL,
  );
  const record: AppRecord = {
    ...created,
    activeSince: created.activeSince === undefined ? undefined : 0,
    scopeAddedAt: new Map([...created.scopeAddedAt.keys()].map((fqs) => [fqs, 0])),
    origin: "seed",
  };
  const id = String(record.resource.id);
  ctx.store.apps.set(id, record);
  for (const roleName of seed.roles ?? []) {
    const role = ctx.store.rolesOf(instance.appId).find((r) => r.displayName === roleName);
    if (!role)
      throw new Error(`Seed app "${seed.displayName}": instance ${instance.name} has no role "${roleName}".`);
    seedAppRoleGrant(ctx, id, instance.appId, role.id, SYSTEM_PRINCIPAL, "seed");
  }
  return {
    id,
    displayName: seed.displayName,
    clientId: String(record.resource.name),
    clientSecret: String(record.resource.clientSecret),
  };
}

export function newAdminClient(): { appId: string; clientId: string; clientSecret: string } {
  return { appId: newResourceId(), clientId: newResourceId(), clientSecret: newClientSecret() };
}

/** Fills the store; returns the seeded customer apps with their credentials. */
export function seedDomain(
  ctx: EmulatorContext,
  apps: readonly SeedApp[],
): ReturnType<typeof seedCustomerApp>[] {
  seedIdentityDomainApp(ctx);
  seedAdminClient(ctx);
  for (const instance of ctx.instances) seedOicInstance(ctx, instance);
  return apps.map((seed) => seedCustomerApp(ctx, seed));
}
