import { describe, expect, it } from "vitest";
import { StackConfigError } from "../../config/errors";
import { defaultClientDescription } from "../../components/oic";
import { parseStackConfig, type StackConfigContext } from "../../config/parse";

const NS = "oic-client-provisioner";
const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";
const OCID = "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid";
const APP_ID = "0123456789abcdef0123456789abcdef";
const ROLES =
  "ServiceAdministrator, ServiceDeveloper, ServiceMonitor, ServiceDeployer, ServiceUser, ServiceInvoker, ServiceViewer, ServiceEndUser";
const CLIENT_KEYS = "Known keys here: name, displayName, description, roles, scopes, probe.";

type Values = Record<string, unknown>;

/** What a stack file gives the program: every value a string, structured values as JSON. */
function asPulumiConfig(values: Values): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      `${NS}:${key}`,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

const context: StackConfigContext = {
  stack: "dev",
  cwd: "/project",
  fileExists: (path) => path === "/project/certs/emulator-ca.pem",
};

const valid: Values = {
  identityDomain: { endpoint: DOMAIN },
  integrationInstance: { id: OCID },
  clients: [{ name: "reporting", roles: ["ServiceUser"] }],
};

function problems(values: Values, ctx: StackConfigContext = context): string[] {
  try {
    parseStackConfig(asPulumiConfig(values), ctx);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((p) => `${p.key}: ${p.text}`);
    throw error;
  }
  throw new Error("expected a StackConfigError");
}

describe("parseStackConfig: a good config", () => {
  it("applies every default", () => {
    expect(parseStackConfig(asPulumiConfig(valid), context)).toEqual({
      stack: "dev",
      identityDomain: { endpoint: DOMAIN, allowPlainHttpOnLoopback: false },
      integrationInstance: { id: OCID },
      displayNamePrefix: "dev-",
      clients: [
        {
          name: "reporting",
          displayName: "dev-reporting",
          description: defaultClientDescription("reporting", "dev"),
          roles: ["ServiceUser"],
          scopes: ["consumerAll", "icApi"],
          probe: "connections",
        },
      ],
      verification: { retryBudgetSeconds: 120, verifyOnEveryUp: false, concurrency: 4 },
      destroy: { deactivateBeforeDelete: true },
    });
    expect(defaultClientDescription("reporting", "dev")).toBe(
      'Confidential client "reporting" for Oracle Integration, stack dev; managed by Pulumi (oic-client-provisioner).',
    );
  });

  it("keeps explicit values, normalises URLs and reads strings that `pulumi config set` stores", () => {
    const config = parseStackConfig(
      {
        "some-other-project:key": "ignored",
        ...asPulumiConfig({
          identityDomain: { endpoint: "http://127.0.0.1:8080", allowPlainHttpOnLoopback: "true" },
          integrationInstance: {
            idcsAppId: APP_ID,
            designTimeUrl: "http://127.0.0.3:9000",
            name: "oicdemo-x-ia",
            audience: "https://ABC.integration.us-ashburn-1.ocp.oraclecloud.com:443",
          },
          displayNamePrefix: "",
          clients: [
            {
              name: "reporting",
              displayName: "OIC reporting",
              description: "Nightly report.",
              roles: ["ServiceUser", "ServiceInvoker"],
              scopes: ["icApi"],
              probe: "connections",
            },
            { name: "invoker", roles: ["ServiceInvoker"], probe: "token" },
          ],
          verification: {
            retryBudgetSeconds: "30",
            verifyOnEveryUp: true,
            caFile: "certs/emulator-ca.pem",
            concurrency: 2,
          },
        }),
      },
      context,
    );
    expect(config.identityDomain).toEqual({
      endpoint: "http://127.0.0.1:8080",
      allowPlainHttpOnLoopback: true,
    });
    expect(config.integrationInstance).toEqual({
      idcsAppId: APP_ID,
      designTimeUrl: "http://127.0.0.3:9000",
      name: "oicdemo-x-ia",
      audience: "https://ABC.integration.us-ashburn-1.ocp.oraclecloud.com:443",
    });
    expect(config.clients.map((c) => [c.displayName, c.description, c.roles, c.scopes, c.probe])).toEqual([
      ["OIC reporting", "Nightly report.", ["ServiceUser", "ServiceInvoker"], ["icApi"], "connections"],
      [
        "invoker",
        defaultClientDescription("invoker", "dev"),
        ["ServiceInvoker"],
        ["consumerAll", "icApi"],
        "token",
      ],
    ]);
    expect(config.verification).toEqual({
      retryBudgetSeconds: 30,
      verifyOnEveryUp: true,
      caFile: "certs/emulator-ca.pem",
      concurrency: 2,
    });
  });

  it("accepts an OCID with single overrides, and explicit facts without an OCID", () => {
    expect(
      parseStackConfig(
        asPulumiConfig({ ...valid, integrationInstance: { id: OCID, name: "custom-name" } }),
        context,
      ).integrationInstance,
    ).toEqual({ id: OCID, name: "custom-name" });
    expect(
      parseStackConfig(
        asPulumiConfig({
          ...valid,
          integrationInstance: {
            idcsAppId: APP_ID,
            designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
            runtimeUrl: "https://oicprod-x-ia.integration.us-ashburn-1.ocp.oraclecloud.com",
          },
        }),
        context,
      ).integrationInstance,
    ).toEqual({
      idcsAppId: APP_ID,
      designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com",
      runtimeUrl: "https://oicprod-x-ia.integration.us-ashburn-1.ocp.oraclecloud.com",
    });
  });
});

interface BadCase {
  readonly name: string;
  readonly values: Values;
  readonly expected: readonly string[];
}

const bad: readonly BadCase[] = [
  {
    name: "an empty stack",
    values: {},
    expected: [
      `${NS}:identityDomain: is missing. Set it to an object with the endpoint, e.g. { endpoint: ${DOMAIN} }.`,
      `${NS}:integrationInstance: is missing. Set it to an object with the instance's OCID, e.g. { id: ocid1.integrationinstance.oc1.iad.<unique id> }, or with designTimeUrl, name and idcsAppId.`,
      `${NS}:clients: is missing. List one or more clients, e.g. [{ name: reporting, roles: [ServiceUser] }].`,
    ],
  },
  {
    name: "an endpoint with a trailing slash",
    values: { ...valid, identityDomain: { endpoint: `${DOMAIN}/` } },
    expected: [`${NS}:identityDomain.endpoint: "${DOMAIN}/" ends with a slash. Remove it: "${DOMAIN}".`],
  },
  {
    name: "an endpoint with a path",
    values: { ...valid, identityDomain: { endpoint: `${DOMAIN}/admin/v1` } },
    expected: [
      `${NS}:identityDomain.endpoint: "${DOMAIN}/admin/v1" has the path "/admin/v1", but only scheme, host and port are allowed. Use "${DOMAIN}".`,
    ],
  },
  {
    name: "an endpoint that is not an identity domain",
    values: { ...valid, identityDomain: { endpoint: "https://console.example.com" } },
    expected: [
      `${NS}:identityDomain.endpoint: "https://console.example.com" is not an identity domain URL. Set it to the Domain URL from the identity domain's Details page, e.g. ${DOMAIN}.`,
    ],
  },
  {
    name: "plain http on loopback without the switch",
    values: { ...valid, identityDomain: { endpoint: "http://127.0.0.1:8080" } },
    expected: [
      `${NS}:identityDomain.endpoint: "http://127.0.0.1:8080" uses plain http://. Use https://, or set ${NS}:identityDomain.allowPlainHttpOnLoopback to true (only for a loopback host such as the local emulator).`,
    ],
  },
  {
    name: "plain http to a remote host, even with the switch",
    values: {
      ...valid,
      identityDomain: {
        endpoint: "http://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com",
        allowPlainHttpOnLoopback: true,
      },
    },
    expected: [
      `${NS}:identityDomain.endpoint: "http://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com" uses plain http://, which is only allowed for a loopback host (the local emulator). Use https://.`,
    ],
  },
  {
    name: "a switch that is not a boolean, and an unknown key with a near miss",
    values: {
      ...valid,
      identityDomain: { endpoint: DOMAIN, allowPlainHttpOnLoopback: "yes", edpoint: DOMAIN },
    },
    expected: [
      `${NS}:identityDomain.allowPlainHttpOnLoopback: "yes" is not true or false. Set it to true or false (default false).`,
      `${NS}:identityDomain.edpoint: is not a known key. Did you mean "endpoint"? Known keys here: endpoint, allowPlainHttpOnLoopback.`,
    ],
  },
  {
    name: "credentials in the endpoint are never shown",
    values: { ...valid, identityDomain: { endpoint: `https://admin:hunter2@${DOMAIN.slice(8)}` } },
    expected: [
      `${NS}:identityDomain.endpoint: "https://***@${DOMAIN.slice(8)}" contains user information (user@ or user:password@). Remove it; credentials never go in a URL.`,
    ],
  },
  {
    name: "an endpoint that is not a string",
    values: { ...valid, identityDomain: { endpoint: 3 } },
    expected: [
      `${NS}:identityDomain.endpoint: expected a string, got the number 3. Set it to the Domain URL from the identity domain's Details page, e.g. ${DOMAIN}.`,
    ],
  },
  {
    name: "identityDomain given as a bare string",
    values: { ...valid, identityDomain: DOMAIN },
    expected: [
      `${NS}:identityDomain: expected an object (a YAML mapping), got the string "${DOMAIN}". Set it to an object with the endpoint, e.g. { endpoint: ${DOMAIN} }.`,
    ],
  },
  {
    name: "the OCID of something else",
    values: { ...valid, integrationInstance: { id: "ocid1.tenancy.oc1..aaaaaaaa" } },
    expected: [
      `${NS}:integrationInstance.id: "ocid1.tenancy.oc1..aaaaaaaa" is the OCID of a tenancy, not of an integration instance. Set it to the OCID of the integration instance, ocid1.integrationinstance.<realm>.<region>.<unique id>.`,
    ],
  },
  {
    name: "explicit facts with nothing set",
    values: { ...valid, integrationInstance: {} },
    expected: [
      `${NS}:integrationInstance.idcsAppId: is required when ${NS}:integrationInstance.id is not set. Set it to the id of the instance's app in the identity domain (32 hex characters), or set ${NS}:integrationInstance.id to the instance's OCID so that OCI reports it.`,
      `${NS}:integrationInstance.designTimeUrl: is required when ${NS}:integrationInstance.id is not set. Set it to the design-time URL, e.g. https://design.integration.<region>.ocp.oraclecloud.com, or set ${NS}:integrationInstance.id to the instance's OCID so that OCI reports it.`,
      `${NS}:integrationInstance.name: is required when ${NS}:integrationInstance.id is not set. Set it to the "Service instance" value on the instance's About page, or set ${NS}:integrationInstance.runtimeUrl, or set ${NS}:integrationInstance.id to the instance's OCID so that OCI reports it.`,
    ],
  },
  {
    name: "a runtime URL the name cannot be derived from",
    values: { ...valid, integrationInstance: { id: OCID, runtimeUrl: "https://oic.example.com" } },
    expected: [
      `${NS}:integrationInstance.runtimeUrl: "https://oic.example.com" is not in Oracle's shape https://<name>.integration.<region>.ocp.oraclecloud.com, so the service-instance name cannot be derived from it. Set ${NS}:integrationInstance.name to the "Service instance" value on the instance's About page.`,
    ],
  },
  {
    name: "bad explicit facts, and a Terraform-style key",
    values: {
      ...valid,
      integrationInstance: {
        id: OCID,
        name: "OIC_Dev",
        idcsAppId: "OICINST_dev",
        audience: "https://abc.integration.us-ashburn-1.ocp.oraclecloud.com:443/",
        designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com/ic/home",
        instance_design_time_url: "x",
      },
    },
    expected: [
      `${NS}:integrationInstance.designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com/ic/home" has the path "/ic/home", but only scheme, host and port are allowed. Use "https://design.integration.us-ashburn-1.ocp.oraclecloud.com".`,
      `${NS}:integrationInstance.name: "OIC_Dev" is not a service-instance name. Set it to the "Service instance" value on the instance's About page: lower-case letters, digits and hyphens, e.g. oicdev-axhknnpmgslz-ia.`,
      `${NS}:integrationInstance.idcsAppId: "OICINST_dev" is not 32 hex characters. Set it to the id of the instance's app in the identity domain (idcsInfo.idcsAppId, 32 hex characters).`,
      `${NS}:integrationInstance.audience: "https://abc.integration.us-ashburn-1.ocp.oraclecloud.com:443/" ends with a slash. Remove it: "https://abc.integration.us-ashburn-1.ocp.oraclecloud.com".`,
      `${NS}:integrationInstance.instance_design_time_url: is not a known key. Did you mean "designTimeUrl"? Known keys here: id, designTimeUrl, name, idcsAppId, audience, runtimeUrl.`,
    ],
  },
  {
    name: "ServiceInvoker alone with the default connections probe",
    values: {
      ...valid,
      clients: [
        { name: "reporting", roles: ["ServiceUser"] },
        { name: "invoker", roles: ["ServiceInvoker"] },
      ],
    },
    expected: [
      `${NS}:clients[1].roles: ["ServiceInvoker"] cannot pass the "connections" probe: GET /ic/api/integration/v1/connections needs one of ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer. Add "ServiceUser" (the documented minimum for the Developer APIs), or set ${NS}:clients[1].probe to "token".`,
    ],
  },
  {
    name: "misspelt role, probe and key",
    values: {
      ...valid,
      clients: [{ name: "reporting", roles: ["ServiceUsr"], probe: "connection", scope: ["icApi"] }],
    },
    expected: [
      `${NS}:clients[0].roles[0]: "ServiceUsr" is not allowed. Use one of: ${ROLES}. Did you mean "ServiceUser"?`,
      `${NS}:clients[0].probe: "connection" is not allowed. Use one of: connections, token, none. Did you mean "connections"?`,
      `${NS}:clients[0].scope: is not a known key. Did you mean "scopes"? ${CLIENT_KEYS}`,
    ],
  },
  {
    name: "empty and repeated lists",
    values: {
      ...valid,
      clients: [
        { name: "a", roles: [] },
        { name: "b", roles: ["ServiceUser", "ServiceViewer", "ServiceUser"], scopes: ["icApi", "icApi"] },
        { name: "c", roles: ["ServiceUser"], scopes: [] },
      ],
    },
    expected: [
      `${NS}:clients[0].roles: is an empty list. List one or more of: ${ROLES}.`,
      `${NS}:clients[1].roles[2]: "ServiceUser" is listed twice (also at [0]). Remove the repetition.`,
      `${NS}:clients[1].scopes[1]: "icApi" is listed twice (also at [0]). Remove the repetition.`,
      `${NS}:clients[2].scopes: is an empty list. List one or both of: consumerAll, icApi (default both).`,
    ],
  },
  {
    name: "an unknown scope kind",
    values: {
      ...valid,
      clients: [{ name: "reporting", roles: ["ServiceUser"], scopes: ["urn:opc:resource:consumer::all"] }],
    },
    expected: [
      `${NS}:clients[0].scopes[0]: "urn:opc:resource:consumer::all" is not allowed. Use one of: consumerAll, icApi.`,
    ],
  },
  {
    name: "no clients",
    values: { ...valid, clients: [] },
    expected: [
      `${NS}:clients: is an empty list. List one or more clients, e.g. [{ name: reporting, roles: [ServiceUser] }].`,
    ],
  },
  {
    name: "clients as an object",
    values: { ...valid, clients: { name: "reporting", roles: ["ServiceUser"] } },
    expected: [
      `${NS}:clients: expected a list, got an object {"name":"reporting","roles":["ServiceUser"]}. List one or more clients, e.g. [{ name: reporting, roles: [ServiceUser] }].`,
    ],
  },
  {
    name: "a client without a name or roles",
    values: { ...valid, clients: [{ description: "x" }] },
    expected: [
      `${NS}:clients[0].name: is missing. Use 1 to 40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen.`,
      `${NS}:clients[0].roles: is missing. List one or more of: ${ROLES}.`,
    ],
  },
  {
    name: "names that cannot name resources, repeated names and display names",
    values: {
      ...valid,
      clients: [
        { name: "reporting", roles: ["ServiceUser"] },
        { name: "reporting", roles: ["ServiceViewer"] },
        { name: "other", displayName: "dev-reporting", roles: ["ServiceUser"] },
      ],
    },
    expected: [
      `${NS}:clients[1].name: "reporting" is already the name of clients[0]. Client names must be unique in a stack.`,
      `${NS}:clients[2].displayName: gives the display name "dev-reporting", which clients[0] has too. Display names must be unique in the identity domain: set ${NS}:clients[2].displayName.`,
    ],
  },
  {
    name: "a bad client name and display name",
    values: { ...valid, clients: [{ name: "Reporting_1", displayName: "", roles: ["ServiceUser"] }] },
    expected: [
      `${NS}:clients[0].name: "Reporting_1" is not a valid client name. Use 1 to 40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen.`,
      `${NS}:clients[0].displayName: "" is not a valid display name. Use at most 100 letters, digits, spaces, ".", "_", "-", "(" or ")", starting with a letter or digit.`,
    ],
  },
  {
    name: "a bad prefix",
    values: { ...valid, displayNamePrefix: "dev/" },
    expected: [
      `${NS}:displayNamePrefix: "dev/" is not a valid display-name prefix. Use at most 40 letters, digits, spaces, ".", "_" or "-", or "" for none (default "<stack>-").`,
    ],
  },
  {
    name: "verification out of range, a missing CA file, and a nested key set without --path",
    values: {
      ...valid,
      verification: { retryBudgetSeconds: 3600, verifyOnEveryUp: "always", caFile: "ca.pem", concurrency: 0 },
      "verification.retryBudgetSeconds": "30",
    },
    expected: [
      `${NS}:verification.retryBudgetSeconds: 3600 is not a whole number from 0 to 1800. Use a whole number of seconds from 0 to 1800 (default 120).`,
      `${NS}:verification.verifyOnEveryUp: "always" is not true or false. Set it to true or false (default false).`,
      `${NS}:verification.caFile: "ca.pem" does not exist (looked for /project/ca.pem). Give the path of a PEM file, absolute, relative to the project directory or under ~/.`,
      `${NS}:verification.concurrency: 0 is not a whole number from 1 to 16. Use a whole number from 1 to 16 (default 4).`,
      `${NS}:verification.retryBudgetSeconds: is not a known key. To set a nested value, use \`pulumi config set --path '${NS}:verification.retryBudgetSeconds' <value>\`. Known keys here: identityDomain, integrationInstance, displayNamePrefix, clients, verification, destroy.`,
    ],
  },
  {
    // The component refuses such a display name the same way (components/oic/displayName.ts).
    name: "a prefix that makes an invalid display name",
    values: {
      ...valid,
      displayNamePrefix: "-",
      clients: [
        { name: "named", displayName: "Named", roles: ["ServiceUser"] },
        { name: "reporting", roles: ["ServiceUser"] },
      ],
    },
    expected: [
      `${NS}:displayNamePrefix: "-" gives clients[1] the display name "-reporting", which is not valid: use at most 100 letters, digits, spaces, ".", "_", "-", "(" or ")", starting with a letter or digit. Change the prefix, or set ${NS}:clients[1].displayName.`,
    ],
  },
  {
    name: "top-level keys from other tools",
    values: { ...valid, idcsEndpoint: DOMAIN, client: [], foo: 1 },
    expected: [
      `${NS}:idcsEndpoint: is not a known key. Did you mean ${NS}:identityDomain.endpoint? Known keys here: identityDomain, integrationInstance, displayNamePrefix, clients, verification, destroy.`,
      `${NS}:client: is not a known key. Did you mean "clients"? Known keys here: identityDomain, integrationInstance, displayNamePrefix, clients, verification, destroy.`,
      `${NS}:foo: is not a known key. Known keys here: identityDomain, integrationInstance, displayNamePrefix, clients, verification, destroy.`,
    ],
  },
];

describe("parseStackConfig: bad configs, each with its exact messages", () => {
  it.each(bad.map((c) => [c.name, c] as const))("%s", (_, c) => {
    expect(problems(c.values)).toEqual(c.expected);
  });
});

describe("parseStackConfig: names that every plain object inherits", () => {
  const TOP_KEYS =
    "Known keys here: identityDomain, integrationInstance, displayNamePrefix, clients, verification, destroy.";
  const VERIFICATION_KEYS = "Known keys here: retryBudgetSeconds, verifyOnEveryUp, caFile, concurrency.";
  it.each<BadCase>([
    {
      name: "a role named constructor",
      values: { ...valid, clients: [{ name: "reporting", roles: ["constructor"] }] },
      expected: [`${NS}:clients[0].roles[0]: "constructor" is not allowed. Use one of: ${ROLES}.`],
    },
    {
      name: "a probe named constructor",
      values: { ...valid, clients: [{ name: "reporting", roles: ["ServiceUser"], probe: "constructor" }] },
      expected: [
        `${NS}:clients[0].probe: "constructor" is not allowed. Use one of: connections, token, none.`,
      ],
    },
    {
      name: "a scope named toString",
      values: { ...valid, clients: [{ name: "reporting", roles: ["ServiceUser"], scopes: ["toString"] }] },
      expected: [`${NS}:clients[0].scopes[0]: "toString" is not allowed. Use one of: consumerAll, icApi.`],
    },
    {
      name: "a client key named constructor",
      values: { ...valid, clients: [{ name: "reporting", roles: ["ServiceUser"], constructor: "x" }] },
      expected: [`${NS}:clients[0].constructor: is not a known key. ${CLIENT_KEYS}`],
    },
    {
      name: "top-level keys named after Object.prototype",
      values: { ...valid, constructor: "x", hasOwnProperty: "x", toString: "x" },
      expected: [
        `${NS}:constructor: is not a known key. ${TOP_KEYS}`,
        `${NS}:hasOwnProperty: is not a known key. ${TOP_KEYS}`,
        `${NS}:toString: is not a known key. ${TOP_KEYS}`,
      ],
    },
    {
      name: "__proto__ and its siblings as nested keys (JSON.parse makes them own keys)",
      values: {
        ...valid,
        verification: '{"__proto__":{"concurrency":2},"constructor":1,"valueOf":1}',
        identityDomain: `{"__proto__":{"endpoint":"${DOMAIN}"}}`,
      },
      expected: [
        `${NS}:identityDomain.endpoint: is missing. Set it to the Domain URL from the identity domain's Details page, e.g. ${DOMAIN}.`,
        `${NS}:identityDomain.__proto__: is not a known key. Known keys here: endpoint, allowPlainHttpOnLoopback.`,
        `${NS}:verification.__proto__: is not a known key. ${VERIFICATION_KEYS}`,
        `${NS}:verification.constructor: is not a known key. ${VERIFICATION_KEYS}`,
        `${NS}:verification.valueOf: is not a known key. ${VERIFICATION_KEYS}`,
      ],
    },
  ])("$name", ({ values, expected }) => {
    expect(problems(values)).toEqual(expected);
  });
});

describe("parseStackConfig: text from the stack file in messages", () => {
  const TOP_KEYS =
    "Known keys here: identityDomain, integrationInstance, displayNamePrefix, clients, verification, destroy.";
  it.each<BadCase>([
    {
      name: "an endpoint on a host that only starts like an identity domain's",
      values: { ...valid, identityDomain: { endpoint: `${DOMAIN}.evil.example` } },
      expected: [
        `${NS}:identityDomain.endpoint: "${DOMAIN}.evil.example" is not an identity domain URL. Set it to the Domain URL from the identity domain's Details page, e.g. ${DOMAIN}.`,
      ],
    },
    {
      name: "an endpoint with a backslash",
      values: { ...valid, identityDomain: { endpoint: `${DOMAIN}\\admin` } },
      expected: [
        `${NS}:identityDomain.endpoint: "${DOMAIN}\\\\admin" contains a backslash, which URL parsers read as "/". Use "${DOMAIN}".`,
      ],
    },
    {
      name: "a design-time URL with a backslash and a runtime URL with a tab",
      values: {
        ...valid,
        integrationInstance: {
          id: OCID,
          designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com\\ic",
          runtimeUrl: "https://oic\t.example.com",
        },
      },
      expected: [
        `${NS}:integrationInstance.designTimeUrl: "https://design.integration.us-ashburn-1.ocp.oraclecloud.com\\\\ic" contains a backslash, which URL parsers read as "/". Use "https://design.integration.us-ashburn-1.ocp.oraclecloud.com".`,
        `${NS}:integrationInstance.runtimeUrl: "https://oic\\t.example.com" contains U+0009, an invisible or control character. Remove it.`,
      ],
    },
    {
      name: "a description with a bidi override, and one of zero-width characters only",
      values: {
        ...valid,
        clients: [
          { name: "reporting", roles: ["ServiceUser"], description: "Nightly \u202ereport" },
          { name: "orders", roles: ["ServiceUser"], description: "\u200b\u200b" },
        ],
      },
      expected: [
        `${NS}:clients[0].description: "Nightly \\u202ereport" contains U+202E, a bidirectional control that displays text in another order than it is stored. Remove it.`,
        `${NS}:clients[1].description: "\\u200b\\u200b" has no visible character. Use one line of text, at most 400 characters.`,
      ],
    },
    {
      name: "a 20,000-character unknown key",
      values: { ...valid, ["k".repeat(20_000)]: "x" },
      expected: [`${NS}:${"k".repeat(99)}…: is not a known key. ${TOP_KEYS}`],
    },
    {
      name: "an unknown key and a value with terminal escapes",
      values: {
        ...valid,
        verification: { "retry\u001b[2J": 1, retryBudgetSeconds: "\u001b[31m30" },
      },
      expected: [
        `${NS}:verification.retryBudgetSeconds: "\\u001b[31m30" is not a whole number from 0 to 1800. Use a whole number of seconds from 0 to 1800 (default 120).`,
        `${NS}:verification["retry\\u001b[2J"]: is not a known key. Known keys here: retryBudgetSeconds, verifyOnEveryUp, caFile, concurrency.`,
      ],
    },
    {
      name: "a long value is cut",
      values: { ...valid, displayNamePrefix: "p".repeat(500) },
      expected: [
        `${NS}:displayNamePrefix: "${"p".repeat(99)}…" is not a valid display-name prefix. Use at most 40 letters, digits, spaces, ".", "_" or "-", or "" for none (default "<stack>-").`,
      ],
    },
    {
      name: "a CA file path with a control character",
      values: { ...valid, verification: { caFile: "certs/\u0007ca.pem" } },
      expected: [
        `${NS}:verification.caFile: "certs/\\u0007ca.pem" does not exist (looked for /project/certs/\\u0007ca.pem). Give the path of a PEM file, absolute, relative to the project directory or under ~/.`,
      ],
    },
  ])("$name", ({ values, expected }) => {
    expect(problems(values)).toEqual(expected);
  });
});

describe("parseStackConfig: the error", () => {
  it("is one message: a header, a line per problem naming the full key, and where to fix it", () => {
    let caught: unknown;
    try {
      parseStackConfig(
        asPulumiConfig({ ...valid, identityDomain: { endpoint: `${DOMAIN}/` }, clients: [] }),
        context,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StackConfigError);
    expect((caught as Error).message).toBe(
      [
        'The configuration of stack "dev" has 2 problems; nothing was deployed.',
        `  - ${NS}:identityDomain.endpoint: "${DOMAIN}/" ends with a slash. Remove it: "${DOMAIN}".`,
        `  - ${NS}:clients: is an empty list. List one or more clients, e.g. [{ name: reporting, roles: [ServiceUser] }].`,
        "Fix them in stacks/Pulumi.dev.yaml; docs/configuration.md describes every key.",
      ].join("\n"),
    );
  });

  it("never shows the value of a key the stack marks secret, nor a fix that repeats it", () => {
    const secretEndpoint =
      "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com/very-secret-path";
    const lines = problems(
      {
        ...valid,
        identityDomain: { endpoint: secretEndpoint },
        clients: [{ name: "x", roles: ["ServiceUsr"] }],
      },
      { ...context, isSecret: (key) => key === `${NS}:identityDomain` || key === `${NS}:clients` },
    );
    expect(lines).toEqual([
      `${NS}:identityDomain.endpoint: (a secret value, not shown) is not valid. Set it to the Domain URL from the identity domain's Details page, e.g. ${DOMAIN}.`,
      `${NS}:clients[0].roles[0]: (a secret value, not shown) is not allowed. Use one of: ${ROLES}.`,
    ]);
    expect(lines.join("\n")).not.toContain("ServiceUsr");
    expect(lines.join("\n")).not.toContain("very-secret-path");
  });

  it("refuses any CA file when the caller cannot look for files", () => {
    expect(
      problems({ ...valid, verification: { caFile: "/project/certs/emulator-ca.pem" } }, { stack: "dev" }),
    ).toEqual([
      `${NS}:verification.caFile: "/project/certs/emulator-ca.pem" does not exist (looked for /project/certs/emulator-ca.pem). Give the path of a PEM file, absolute, relative to the project directory or under ~/.`,
    ]);
  });
});
