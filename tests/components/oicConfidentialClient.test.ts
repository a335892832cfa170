import { createHash } from "node:crypto";

import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientFactsSchema, type ClientFacts } from "../../components/clientFacts";
import type * as ComponentModule from "../../components/oicConfidentialClient";
import {
  AUDIENCE,
  DESIGN_TIME_URL,
  DOMAIN,
  FQS,
  INSTANCE_NAME,
  OIC_APP_ID,
  TOKENS,
  deploys,
  invokeLog,
  invokes,
  mockApp,
  mockCheckFacts,
  mockGrantId,
  mocks,
  registrations,
  rejectionsDuring,
  resetMocks,
  withoutPulumiPrefixes,
  roleTable,
  valueOf,
} from "./oicMocks";

const DEACTIVATION_TYPE = TOKENS.deactivation;

// The code under test is imported after the mocks are set.
let component: typeof ComponentModule;

beforeAll(async () => {
  await pulumi.runtime.setMocks(mocks, "oic-client-provisioner", "dev");
  component = await import("../../components/oicConfidentialClient.js");
});

beforeEach(() => {
  resetMocks();
});

interface SeenOptions {
  readonly type: string;
  readonly name: string;
  /** The component's children are custom resources; their options are custom-resource options. */
  readonly opts: pulumi.CustomResourceOptions;
}

/**
 * Mocks never apply resource options, so a transformation (run by the SDK itself, inherited by every child)
 * is how a test sees `additionalSecretOutputs`, `deleteBeforeReplace` and the parent of each child.
 */
function recordOptions(): { readonly seen: SeenOptions[]; readonly opts: pulumi.ComponentResourceOptions } {
  const seen: SeenOptions[] = [];
  return {
    seen,
    opts: {
      transformations: [
        (args) => {
          seen.push({ type: args.type, name: args.name, opts: args.opts });
          return undefined;
        },
      ],
    },
  };
}

function baseArgs(
  overrides: Partial<ComponentModule.OicConfidentialClientArgs> = {},
): ComponentModule.OicConfidentialClientArgs {
  return {
    idcsEndpoint: DOMAIN,
    oicAppId: OIC_APP_ID,
    audience: AUDIENCE,
    designTimeUrl: DESIGN_TIME_URL,
    integrationInstance: INSTANCE_NAME,
    displayName: "dev-reporting",
    roles: ["ServiceUser"],
    ...overrides,
  };
}

/** Waits until the client is fully declared, its access check included; fails at once, with the messages, if its deployment fails. */
async function settled(client: ComponentModule.OicConfidentialClient): Promise<ClientFacts> {
  let facts: ClientFacts | undefined;
  await deploys(async () => {
    facts = await valueOf(client.facts);
  });
  if (facts === undefined) throw new Error("the client's facts did not resolve");
  return facts;
}

const ofType = (type: string) => registrations.filter((r) => r.type === type);

describe("OicConfidentialClient: one client", () => {
  it("declares exactly one app and one grant per role, named from the component", async () => {
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ roles: ["ServiceUser", "ServiceViewer"] }),
    );
    await settled(client);
    expect(registrations.map((r) => [r.type, r.name])).toEqual([
      [component.OIC_CONFIDENTIAL_CLIENT_TYPE, "reporting"],
      [TOKENS.app, "reporting-app"],
      [TOKENS.grant, "reporting-grant-ServiceUser"],
      [TOKENS.grant, "reporting-grant-ServiceViewer"],
      [DEACTIVATION_TYPE, "reporting-deactivate-before-delete"],
      [TOKENS.accessCheck, "reporting-access-check"],
    ]);
  });

  it("makes the app a confidential OAuth client: client_credentials only, the derived fqs, active", async () => {
    const client = new component.OicConfidentialClient("reporting", baseArgs());
    await settled(client);
    const [app] = ofType(TOKENS.app);
    expect(app?.inputs).toEqual({
      idcsEndpoint: DOMAIN,
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      basedOnTemplate: { value: "CustomWebAppTemplateId", wellKnownId: "CustomWebAppTemplateId" },
      displayName: "dev-reporting",
      description:
        'Confidential client "reporting" for Oracle Integration; managed by Pulumi (oic-client-provisioner).',
      isOauthClient: true,
      clientType: "confidential",
      allowedGrants: ["client_credentials"],
      allowedScopes: [{ fqs: FQS.consumerAll }, { fqs: FQS.icApi }],
      active: true,
      attributeSets: ["all"],
    });
  });

  it("grants each role to the app's id, with the role id the unambiguous lookup returned", async () => {
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ roles: ["ServiceUser", "ServiceInvoker"] }),
    );
    await settled(client);
    expect(ofType(TOKENS.grant).map((grant) => grant.inputs)).toEqual(
      ["ServiceUser", "ServiceInvoker"].map((role) => ({
        idcsEndpoint: DOMAIN,
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
        grantMechanism: "ADMINISTRATOR_TO_APP",
        grantee: { type: "App", value: mockApp.id("reporting-app") },
        app: { value: OIC_APP_ID },
        entitlement: { attributeName: "appRoles", attributeValue: `role-${role}` },
        attributeSets: ["all"],
      })),
    );
    expect(invokeLog.filter((call) => call.token === TOKENS.getAppRoles).map((call) => call.inputs)).toEqual([
      {
        idcsEndpoint: DOMAIN,
        appRoleFilter: `displayName eq "ServiceUser" and app.value eq "${OIC_APP_ID}"`,
      },
      {
        idcsEndpoint: DOMAIN,
        appRoleFilter: `displayName eq "ServiceInvoker" and app.value eq "${OIC_APP_ID}"`,
      },
    ]);
    expect(invokeLog.filter((call) => call.token === TOKENS.getApp).map((call) => call.inputs)).toEqual([
      { idcsEndpoint: DOMAIN, appId: OIC_APP_ID, attributeSets: ["all"] },
    ]);
  });

  it("exposes what a consumer needs as one non-secret facts output, and the secret apart as a secret", async () => {
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ roles: ["ServiceUser", "ServiceViewer"] }),
    );
    const facts = await settled(client);
    expect(facts).toEqual({
      displayName: "dev-reporting",
      clientId: mockApp.clientId("reporting-app"),
      appId: mockApp.id("reporting-app"),
      tokenUrl: `${DOMAIN}/oauth2/v1/token`,
      scope: FQS.icApi,
      allowedScopes: [FQS.consumerAll, FQS.icApi],
      audience: AUDIENCE,
      roles: ["ServiceUser", "ServiceViewer"],
      probe: "connections",
      grantIds: [mockGrantId("reporting-grant-ServiceUser"), mockGrantId("reporting-grant-ServiceViewer")],
      designTimeUrl: DESIGN_TIME_URL,
      integrationInstance: INSTANCE_NAME,
      accessCheck: mockCheckFacts,
    });
    expect(clientFactsSchema.parse(facts)).toEqual(facts);
    expect(await pulumi.isSecret(client.facts)).toBe(false);
    expect(JSON.stringify(facts)).not.toContain(mockApp.clientSecret("reporting-app"));
    expect(await valueOf(client.clientSecret)).toBe(mockApp.clientSecret("reporting-app"));
    expect(await pulumi.isSecret(client.clientSecret)).toBe(true);
    expect(client.app).toBeInstanceOf(pulumi.CustomResource);
    expect(client.grants).toHaveLength(2);
  });

  it("leaves out of the facts what is not known: no access check for probe none, no audience", async () => {
    invokes.set(TOKENS.getApp, () => ({
      id: OIC_APP_ID,
      scopes: [
        { value: "urn:opc:resource:consumer::all", fqs: FQS.consumerAll },
        { value: "/ic/api/", fqs: FQS.icApi },
      ],
    }));
    const client = new component.OicConfidentialClient(
      "invoker",
      baseArgs({ roles: ["ServiceInvoker"], probe: "none", audience: "" }),
    );
    const facts = await settled(client);
    expect(Object.keys(facts)).not.toContain("accessCheck");
    expect(Object.keys(facts)).not.toContain("audience");
    expect(facts.probe).toBe("none");
    expect(ofType(TOKENS.accessCheck)).toEqual([]);
  });

  it("marks clientSecret with additionalSecretOutputs, parents every child, and replaces grants delete-first", async () => {
    const { seen, opts } = recordOptions();
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ roles: ["ServiceUser", "ServiceViewer"] }),
      opts,
    );
    await settled(client);
    const children = seen.filter((s) => s.type !== component.OIC_CONFIDENTIAL_CLIENT_TYPE);
    expect(children.map((child) => [child.type, child.name])).toEqual([
      [TOKENS.app, "reporting-app"],
      [TOKENS.grant, "reporting-grant-ServiceUser"],
      [TOKENS.grant, "reporting-grant-ServiceViewer"],
      [DEACTIVATION_TYPE, "reporting-deactivate-before-delete"],
      [TOKENS.accessCheck, "reporting-access-check"],
    ]);
    for (const child of children) expect(child.opts.parent).toBe(client);
    expect(children[0]?.opts.additionalSecretOutputs).toEqual(["clientSecret"]);
    expect(children[0]?.opts.deleteBeforeReplace).toBeUndefined();
    expect(children.slice(1, 3).map((child) => child.opts.deleteBeforeReplace)).toEqual([true, true]);
    // The step keeps nothing secret: no credentials travel to it.
    expect(children[3]?.opts.additionalSecretOutputs).toBeUndefined();
    // The check runs after this client's grants, and waits for nothing else.
    expect(children[4]?.opts.dependsOn).toEqual(client.grants);
    expect(children[4]?.opts.additionalSecretOutputs).toEqual(["clientSecretFingerprint"]);
  });

  it("deactivates the app before its delete: keyed to the app's id, with no credentials, paths as written", async () => {
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ ociConfigFile: "~/.oci/deployer-config", caFile: "certs/ca.pem" }),
    );
    const facts = await settled(client);
    const [step] = ofType(DEACTIVATION_TYPE);
    const { __provider: provider, ...inputs } = step?.inputs ?? {};
    expect(typeof provider).toBe("string");
    // Which provider's settings to sign with is all it keeps: the stack's default one here, read when it runs.
    expect(inputs).toEqual({
      idcsEndpoint: DOMAIN,
      appId: mockApp.id("reporting-app"),
      ociConfigFile: "~/.oci/deployer-config",
      caFile: "certs/ca.pem",
      allowPlainHttpOnLoopback: false,
      retryBudgetSeconds: 60,
    });
    expect(facts.appId).toBe(mockApp.id("reporting-app"));
  });

  it("declares no deactivation step when it is turned off", async () => {
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ deactivateBeforeDelete: false }),
    );
    await settled(client);
    expect(ofType(DEACTIVATION_TYPE)).toEqual([]);
  });

  it("checks the client after its grants, with its own credentials, scope and URLs and the verification args", async () => {
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ roles: ["ServiceUser"], retryBudgetSeconds: 30, concurrency: 2, caFile: "/tmp/ca.pem" }),
    );
    const facts = await settled(client);
    const checks = ofType(TOKENS.accessCheck);
    expect(checks.map((check) => check.name)).toEqual(["reporting-access-check"]);
    const { __provider: provider, trigger, ...inputs } = checks[0]?.inputs ?? {};
    expect(typeof provider).toBe("string");
    expect(inputs).toEqual({
      tokenUrl: `${DOMAIN}/oauth2/v1/token`,
      clientId: mockApp.clientId("reporting-app"),
      // The mock monitor sees the wire form: the secret travels as a secret.
      clientSecret: { [specialSigKey]: specialSecretSig, value: mockApp.clientSecret("reporting-app") },
      scope: FQS.icApi,
      designTimeUrl: DESIGN_TIME_URL,
      integrationInstance: INSTANCE_NAME,
      probe: "connections",
      roles: ["ServiceUser"],
      retryBudgetSeconds: 30,
      timeoutSeconds: 10,
      caFile: "/tmp/ca.pem",
      allowPlainHttpOnLoopback: false,
      concurrency: 2,
    });
    // A new app, grant or scope is a new trigger, which re-runs the check.
    expect(trigger).toBe(
      createHash("sha256")
        .update(JSON.stringify([facts.appId, facts.grantIds.join(","), facts.allowedScopes.join(" ")]))
        .digest("hex"),
    );
  });

  it("gives the check the defaults, and a fresh nonce on every run when verifying on every up", async () => {
    const plain = new component.OicConfidentialClient("plain", baseArgs());
    const every = new component.OicConfidentialClient(
      "every",
      baseArgs({ displayName: "dev-every", verifyOnEveryUp: true }),
    );
    await Promise.all([settled(plain), settled(every)]);
    const inputsOf = (name: string) =>
      ofType(TOKENS.accessCheck).find((check) => check.name === name)?.inputs;
    expect(inputsOf("plain-access-check")).toMatchObject({
      retryBudgetSeconds: 120,
      timeoutSeconds: 10,
      concurrency: 4,
      allowPlainHttpOnLoopback: false,
    });
    expect(inputsOf("plain-access-check")).not.toHaveProperty("verifyNonce");
    expect(inputsOf("plain-access-check")).not.toHaveProperty("caFile");
    expect(inputsOf("every-access-check")?.["verifyNonce"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("allows only the scopes asked for, and picks the token scope from the probe", async () => {
    const apiOnly = new component.OicConfidentialClient(
      "api-only",
      baseArgs({ scopes: ["icApi"], probe: "connections" }),
    );
    const invoker = new component.OicConfidentialClient(
      "invoker",
      baseArgs({ displayName: "dev-invoker", roles: ["ServiceInvoker"], probe: "token" }),
    );
    const [apiOnlyFacts, invokerFacts] = await Promise.all([settled(apiOnly), settled(invoker)]);
    expect(apiOnlyFacts.allowedScopes).toEqual([FQS.icApi]);
    expect(apiOnlyFacts.scope).toBe(FQS.icApi);
    expect(invokerFacts.allowedScopes).toEqual([FQS.consumerAll, FQS.icApi]);
    expect(invokerFacts.scope).toBe(FQS.consumerAll);
    expect(ofType(TOKENS.app).map((app) => [app.name, app.inputs["allowedScopes"]])).toEqual([
      ["api-only-app", [{ fqs: FQS.icApi }]],
      ["invoker-app", [{ fqs: FQS.consumerAll }, { fqs: FQS.icApi }]],
    ]);
  });

  it("normalises the endpoint it gives the provider and the token URL", async () => {
    const client = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ idcsEndpoint: `${DOMAIN}:443` }),
    );
    const facts = await settled(client);
    expect(ofType(TOKENS.app)[0]?.inputs["idcsEndpoint"]).toBe(DOMAIN);
    expect(facts.tokenUrl).toBe(`${DOMAIN}/oauth2/v1/token`);
  });

  it("accepts the emulator's plain-http loopback URLs only when allowed", async () => {
    const emulated = baseArgs({
      idcsEndpoint: "http://127.0.0.1:8080",
      designTimeUrl: "http://127.0.0.3:9090",
      allowPlainHttpOnLoopback: true,
    });
    const client = new component.OicConfidentialClient("emulated", emulated);
    const facts = await settled(client);
    expect(facts.tokenUrl).toBe("http://127.0.0.1:8080/oauth2/v1/token");
    expect(facts.designTimeUrl).toBe("http://127.0.0.3:9090");
    expect(ofType(TOKENS.app)[0]?.inputs["idcsEndpoint"]).toBe("http://127.0.0.1:8080");
    expect(ofType(TOKENS.accessCheck)[0]?.inputs).toMatchObject({
      tokenUrl: "http://127.0.0.1:8080/oauth2/v1/token",
      designTimeUrl: "http://127.0.0.3:9090",
      allowPlainHttpOnLoopback: true,
    });
  });

  it("does not change the caller's args", async () => {
    const roles = ["ServiceUser", "ServiceViewer"];
    const scopes = ["icApi", "consumerAll"];
    const args = Object.freeze(
      baseArgs({ roles: Object.freeze(roles) as string[], scopes: Object.freeze(scopes) as string[] }),
    );
    const client = new component.OicConfidentialClient("reporting", args);
    const facts = await settled(client);
    expect(roles).toEqual(["ServiceUser", "ServiceViewer"]);
    expect(scopes).toEqual(["icApi", "consumerAll"]);
    expect(facts.allowedScopes).toEqual([FQS.icApi, FQS.consumerAll]);
  });
});

describe("OicConfidentialClient: many clients", () => {
  it("gives each client its own app, and each grant points at its own client's app", async () => {
    const reporting = new component.OicConfidentialClient(
      "reporting",
      baseArgs({ roles: ["ServiceUser", "ServiceViewer"] }),
    );
    const invoker = new component.OicConfidentialClient(
      "invoker",
      baseArgs({
        displayName: "dev-invoker",
        roles: ["ServiceInvoker"],
        probe: "token",
        scopes: ["consumerAll"],
      }),
    );
    const [reportingFacts, invokerFacts] = await Promise.all([settled(reporting), settled(invoker)]);
    expect(ofType(component.OIC_CONFIDENTIAL_CLIENT_TYPE)).toHaveLength(2);
    // Registrations interleave; compare them in name order.
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(
      ofType(TOKENS.app)
        .sort(byName)
        .map((app) => [app.name, app.inputs["displayName"]]),
    ).toEqual([
      ["invoker-app", "dev-invoker"],
      ["reporting-app", "dev-reporting"],
    ]);
    expect(
      ofType(TOKENS.grant)
        .sort(byName)
        .map((grant) => [
          grant.name,
          (grant.inputs["grantee"] as { value: string }).value,
          (grant.inputs["entitlement"] as { attributeValue: string }).attributeValue,
        ]),
    ).toEqual([
      ["invoker-grant-ServiceInvoker", mockApp.id("invoker-app"), "role-ServiceInvoker"],
      ["reporting-grant-ServiceUser", mockApp.id("reporting-app"), "role-ServiceUser"],
      ["reporting-grant-ServiceViewer", mockApp.id("reporting-app"), "role-ServiceViewer"],
    ]);
    expect(invokerFacts.clientId).not.toBe(reportingFacts.clientId);
  });
});

describe("OicConfidentialClient: an explicit OCI provider", () => {
  const acme = {
    name: "acme",
    tenancyOcid: "ocid1.tenancy.oc1..acme",
    userOcid: "ocid1.user.oc1..deployer",
    fingerprint: "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0",
    region: "eu-frankfurt-1",
    privateKeyConfigKey: "acme:privateKey",
  };

  it("gives the deactivation the provider's reference, and the provider to every child", async () => {
    const provider = new oci.Provider("acme", { region: "eu-frankfurt-1" });
    const { seen, opts } = recordOptions();
    const client = new component.OicConfidentialClient("reporting", baseArgs({ ociProvider: acme }), {
      ...opts,
      providers: { oci: provider },
    });
    await settled(client);
    const [step] = ofType(DEACTIVATION_TYPE);
    const { __provider: _code, ...inputs } = step?.inputs ?? {};
    expect(inputs).toEqual({
      idcsEndpoint: DOMAIN,
      appId: mockApp.id("reporting-app"),
      ociProvider: acme,
      allowPlainHttpOnLoopback: false,
      retryBudgetSeconds: 60,
    });
    const app = seen.find((child) => child.type === TOKENS.app);
    expect(app?.opts.parent).toBe(client);
    expect(client.app.getProvider(TOKENS.app)).toBe(provider);
  });

  it("refuses an explicit provider without its reference, and a reference without the provider, at once", () => {
    const provider = new oci.Provider("acme", {});
    expect(
      () => new component.OicConfidentialClient("a", baseArgs(), { providers: { oci: provider } }),
    ).toThrow(
      "this client's app is managed with an explicit OCI provider, so the step that deactivates it before its delete must sign as that provider does: pass ociProvider with the provider's name and settings that are not secret (the stack config keys of its private key and passphrase in privateKeyConfigKey, privateKeyPasswordConfigKey), or set deactivateBeforeDelete to false.",
    );
    expect(() => new component.OicConfidentialClient("b", baseArgs({ ociProvider: acme }))).toThrow(
      "ociProvider names an explicit OCI provider, but this client is given none (provider or providers.oci): its app is managed with the stack's default provider, so leave ociProvider out.",
    );
    expect(ofType(TOKENS.app)).toHaveLength(0);
  });

  it("needs no reference when the step is turned off", async () => {
    const provider = new oci.Provider("acme", {});
    const client = new component.OicConfidentialClient("c", baseArgs({ deactivateBeforeDelete: false }), {
      providers: { oci: provider },
    });
    await settled(client);
    expect(ofType(DEACTIVATION_TYPE)).toEqual([]);
  });
});

describe("OicConfidentialClient: failures", () => {
  /**
   * Builds a client whose deployment fails and returns the messages Pulumi would report, once per error: each
   * a ResourceError on the component, shown without a stack trace.
   */
  async function failures(build: () => ComponentModule.OicConfidentialClient): Promise<string[]> {
    let client: ComponentModule.OicConfidentialClient | undefined;
    const seen = await rejectionsDuring(async () => {
      client = build();
      await valueOf(client.facts);
    });
    const errors = [...new Set(seen)];
    for (const error of errors) {
      expect(pulumi.ResourceError.isInstance(error), String(error)).toBe(true);
      expect((error as pulumi.ResourceError).resource).toBe(client);
      expect((error as pulumi.ResourceError).hideStack).toBe(true);
    }
    return errors.map((error) => withoutPulumiPrefixes((error as Error).message));
  }

  const expectedZeroRoles =
    `Expected exactly 1 app role "ServiceUser" in the OIC app ${OIC_APP_ID}, found 0. Check that ${OIC_APP_ID} is the ` +
    "integration instance's app (idcsInfos[0].idcsAppId) and that the role name is one Oracle Integration defines.";

  it("fails when the role lookup finds no role, and declares no grant for it", async () => {
    roleTable.splice(0, roleTable.length, ...roleTable.filter((row) => row.id !== "role-ServiceUser"));
    const errors = await failures(() => new component.OicConfidentialClient("reporting", baseArgs()));
    expect(errors).toEqual([expectedZeroRoles]);
    expect(ofType(TOKENS.grant)).toHaveLength(0);
  });

  it("fails when the role lookup is ambiguous", async () => {
    roleTable.push({ id: "role-ServiceUser-2", displayName: "ServiceUser", appId: OIC_APP_ID });
    const errors = await failures(() => new component.OicConfidentialClient("reporting", baseArgs()));
    expect(errors).toEqual([
      `Expected exactly 1 app role "ServiceUser" in the OIC app ${OIC_APP_ID}, ` +
        "found 2 (ids role-ServiceUser, role-ServiceUser-2). The program does not guess which one to grant: check the " +
        "app's roles in the identity domain (Oracle Cloud Services, the instance, Application roles).",
    ]);
    expect(ofType(TOKENS.grant)).toHaveLength(0);
  });

  it("fails when the OIC app does not publish a wanted scope, and declares no app", async () => {
    invokes.set(TOKENS.getApp, () => ({
      audience: AUDIENCE,
      scopes: [{ value: "urn:opc:resource:consumer::all", fqs: FQS.consumerAll }],
    }));
    const errors = await failures(() => new component.OicConfidentialClient("reporting", baseArgs()));
    expect(errors).toEqual([
      `The OIC app ${OIC_APP_ID} does not publish the scope "/ic/api/" (icApi); ` +
        `it publishes "urn:opc:resource:consumer::all". Check that ${OIC_APP_ID} is the integration instance's app, or ` +
        'remove "icApi" from the client\'s scopes.',
    ]);
    expect(ofType(TOKENS.app)).toHaveLength(0);
  });

  it("refuses scopes it does not know, or one listed twice, and declares no app", async () => {
    expect(
      await failures(
        () => new component.OicConfidentialClient("a", baseArgs({ scopes: ["icApi", "icApi"] })),
      ),
    ).toEqual(['scopes[1] "icApi" is listed twice (also at [0]): remove the repetition.']);
    expect(
      await failures(() => new component.OicConfidentialClient("b", baseArgs({ scopes: ["consumer"] }))),
    ).toEqual(['scopes must list one or both of consumerAll, icApi; got ["consumer"].']);
    expect(ofType(TOKENS.app)).toHaveLength(0);
  });

  it("refuses a probe that cannot pass with the roles, or an unknown one, at once", () => {
    expect(
      () => new component.OicConfidentialClient("invoker", baseArgs({ roles: ["ServiceInvoker"] })),
    ).toThrow(
      'The roles ["ServiceInvoker"] cannot pass the "connections" probe: GET /ic/api/integration/v1/connections ' +
        'needs one of ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer. Add "ServiceUser" (the ' +
        'documented minimum for the Developer APIs), or use the "token" probe.',
    );
    expect(() => new component.OicConfidentialClient("other", baseArgs({ probe: "connection" }))).toThrow(
      'probe must be one of connections, token, none; got "connection".',
    );
    expect(ofType(TOKENS.app)).toHaveLength(0);
  });

  it("refuses an endpoint with a trailing slash before the provider sees it", async () => {
    const errors = await failures(
      () => new component.OicConfidentialClient("reporting", baseArgs({ idcsEndpoint: `${DOMAIN}/` })),
    );
    expect(errors).toEqual([`idcsEndpoint "${DOMAIN}/" ends with a slash; remove it: "${DOMAIN}".`]);
    expect(ofType(TOKENS.app)).toHaveLength(0);
  });

  it("refuses plain http when it is not allowed, naming the switch", async () => {
    const errors = await failures(
      () =>
        new component.OicConfidentialClient(
          "reporting",
          baseArgs({ designTimeUrl: "http://127.0.0.3:9090" }),
        ),
    );
    expect(errors).toEqual([
      'designTimeUrl "http://127.0.0.3:9090" uses plain http://; use https://, or set allowPlainHttpOnLoopback to ' +
        "true (only for a loopback host such as the local emulator).",
    ]);
    expect(ofType(TOKENS.app)).toHaveLength(0);
  });

  it("refuses a reference that names another provider or carries a secret, and declares no app", async () => {
    const acme = new oci.Provider("acme", {});
    const otherName = await failures(
      () =>
        new component.OicConfidentialClient("reporting", baseArgs({ ociProvider: { name: "globex" } }), {
          providers: { oci: acme },
        }),
    );
    expect(otherName).toEqual([
      'ociProvider names the OCI provider "globex", but this client\'s provider is "acme": give that provider\'s name and settings.',
    ]);
    const secret = await failures(
      () =>
        new component.OicConfidentialClient(
          "reporting",
          baseArgs({ ociProvider: { name: "acme", privateKey: "-----BEGIN PRIVATE KEY-----" } as never }),
          { providers: { oci: acme } },
        ),
    );
    expect(secret).toEqual([
      "ociProvider: privateKey is a secret and would be kept in the state: store it in the stack config (pulumi config set --secret <namespace>:<key>) and name that key in privateKeyConfigKey.",
    ]);
    expect(ofType(TOKENS.app)).toHaveLength(0);
  });

  it("refuses roles it cannot grant, at once", () => {
    expect(() => new component.OicConfidentialClient("a", baseArgs({ roles: [] }))).toThrow(
      "roles must list one or more of ServiceAdministrator, ServiceDeveloper, ServiceMonitor, ServiceDeployer, " +
        "ServiceUser, ServiceInvoker, ServiceViewer, ServiceEndUser; got [].",
    );
    expect(() => new component.OicConfidentialClient("b", baseArgs({ roles: ["Admin"] }))).toThrow(
      'roles must list one or more of ServiceAdministrator, ServiceDeveloper, ServiceMonitor, ServiceDeployer, ServiceUser, ServiceInvoker, ServiceViewer, ServiceEndUser; got ["Admin"].',
    );
    expect(
      () => new component.OicConfidentialClient("c", baseArgs({ roles: ["ServiceUser", "ServiceUser"] })),
    ).toThrow('roles[1] "ServiceUser" is listed twice (also at [0]): remove the repetition.');
  });
});
