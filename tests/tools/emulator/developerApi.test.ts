import axios from "axios";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, type JWTHeaderParameters, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { useEmulator, type CreatedClient } from "../../support/emulator";

const env = useEmulator({ instances: [{ name: "oicqa-emulator-ia", connections: 2 }] });
/** A second domain over plain HTTP, where a Host header can name a runtime host without TLS getting in the way. */
const other = useEmulator({ http: true, instances: [{ name: "oicqa2-emulator-ia", connections: 1 }] });

const NOT_AUTHENTICATED = {
  code: "NotAuthenticated",
  message: "The required information to complete authentication was not provided or was incorrect.",
};
const ROLE_REFUSED = {
  code: "NotAuthorized",
  message:
    "The client is not authorized to view connections: it needs one of the roles ServiceAdministrator, ServiceDeveloper, ServiceUser, ServiceViewer.",
};
const PATH = "/ic/api/integration/v1/connections";

/** The 12 connections seeded for oicdev-emulator-ia, in name order: literals, not the seed's own output. */
const CONNECTIONS_BY_NAME = [
  ["INVENTORY_ERP_CLOUD", "Inventory ERP Cloud", "CONFIGURED"],
  ["INVENTORY_SALESFORCE", "Inventory Salesforce", "CONFIGURED"],
  ["INVOICES_SOAP", "Invoices SOAP", "CONFIGURED"],
  ["LEADS_OBJECT_STORAGE", "Leads Object Storage", "CONFIGURED"],
  ["ORDERS_APACHE_KAFKA", "Orders Apache Kafka", "CONFIGURED"],
  ["ORDERS_AUTONOMOUS_TRANSACTION_PROCESSING", "Orders Autonomous Transaction Processing", "CONFIGURED"],
  ["PAYMENTS_FTP", "Payments FTP", "INPROGRESS"],
  ["PAYMENTS_HCM_CLOUD", "Payments HCM Cloud", "CONFIGURED"],
  ["SHIPMENTS_FTP", "Shipments FTP", "CONFIGURED"],
  ["SHIPMENTS_REST", "Shipments REST", "INPROGRESS"],
  ["SUPPLIERS_HCM_CLOUD", "Suppliers HCM Cloud", "CONFIGURED"],
  ["WORKERS_REST", "Workers REST", "CONFIGURED"],
];

const INVENTORY_ERP_CLOUD = {
  id: "INVENTORY_ERP_CLOUD",
  name: "Inventory ERP Cloud",
  status: "CONFIGURED",
  role: "SOURCE_AND_TARGET",
  securityPolicy: "USERNAME_PASSWORD_TOKEN",
  adapterType: { name: "erp", displayName: "Oracle ERP Cloud", type: "PREINSTALLED" },
  percentageComplete: 100,
  lockedFlag: false,
  usage: 0,
  usageActive: 0,
  created: "2025-01-30T19:20:41.375+0000",
  createdBy: "integration.admin@example.com",
  lastUpdated: "2025-02-27T00:45:22.682+0000",
  lastUpdatedBy: "integration.admin@example.com",
  agentRequired: false,
  connectionProperties: [
    {
      propertyName: "erpServiceCatalogURL",
      displayName: "ERP Cloud Host",
      propertyValue: "https://erp.example.oraclecloud.com",
    },
  ],
  securityProperties: [
    { propertyName: "username", displayName: "Username", propertyValue: "integration.user" },
    { propertyName: "password", displayName: "Password" },
  ],
};

const LEADS_OBJECT_STORAGE = {
  id: "LEADS_OBJECT_STORAGE",
  name: "Leads Object Storage",
  status: "CONFIGURED",
  role: "TARGET",
  securityPolicy: "OCI_SIGNATURE_VERSION1",
  adapterType: { name: "ociobjectstorage", displayName: "Oracle Object Storage", type: "PREINSTALLED" },
  percentageComplete: 100,
  lockedFlag: false,
  usage: 1,
  usageActive: 0,
  created: "2024-06-30T18:33:13.612+0000",
  createdBy: "dev.lead@example.com",
  lastUpdated: "2024-07-12T16:50:24.513+0000",
  lastUpdatedBy: "dev.lead@example.com",
  agentRequired: false,
  connectionProperties: [
    {
      propertyName: "objectStorageUrl",
      displayName: "Object Storage URL",
      propertyValue: "https://objectstorage.us-ashburn-1.oraclecloud.com",
    },
  ],
  securityProperties: [
    {
      propertyName: "username",
      displayName: "Username",
      propertyValue: "ocid1.user.oc1..aaaaaaaaintegration",
    },
    { propertyName: "password", displayName: "Password" },
  ],
};

async function tokenOf(client: CreatedClient, scope = client.scopes.icApi): Promise<string> {
  const response = await env.token(client.clientId, client.clientSecret, scope);
  expect(response.status).toBe(200);
  return response.json<{ access_token: string }>().access_token;
}

function connections(query: string, token?: string) {
  return env.request(`${env.emu.designTimeUrl}${PATH}${query}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

function inst(): string {
  return `?integrationInstance=${env.emu.integrationInstance}`;
}

describe("OIC runtime host", () => {
  it("answers /ic/api/** with 307 to the design-time host, adding integrationInstance to the query", async () => {
    const response = await env.request(
      `${env.emu.runtimeUrl}${PATH}?limit=2&q=%7Bstatus%3A%27CONFIGURED%27%7D`,
    );
    expect(response.status).toBe(307);
    expect(response.headers.location).toBe(
      `${env.emu.designTimeUrl}${PATH}?limit=2&q=%7Bstatus%3A%27CONFIGURED%27%7D&integrationInstance=${env.emu.integrationInstance}`,
    );
    expect(response.text).toBe("");
    const explicit = await env.request(
      `${env.emu.runtimeUrl}/ic/api/integration/v1/packages?integrationInstance=oicqa-emulator-ia`,
      {
        method: "POST",
      },
    );
    expect(explicit.status).toBe(307);
    expect(explicit.headers.location).toBe(
      `${env.emu.designTimeUrl}/ic/api/integration/v1/packages?integrationInstance=oicqa-emulator-ia`,
    );
  });

  it("takes the instance from the Host's first DNS label, as the real per-instance host names it", async () => {
    // Plain HTTP here: over TLS the Host header would also be the name the certificate is checked against.
    const response = await other.request(`${other.emu.runtimeUrl}${PATH}`, {
      headers: { host: "oicqa2-emulator-ia.integration.us-ashburn-1.ocp.oraclecloud.com" },
    });
    expect(response.headers.location).toBe(
      `${other.emu.designTimeUrl}${PATH}?integrationInstance=oicqa2-emulator-ia`,
    );
  });

  it("answers 404 outside /ic/api and for an unknown instance", async () => {
    const outside = await env.request(`${env.emu.runtimeUrl}/ic/home`);
    expect(outside.status).toBe(404);
    expect(outside.json()).toEqual({ code: "NotFound", message: "No route for GET /ic/home." });
    const unknown = await env.request(`${env.emu.runtimeUrl}${PATH}?integrationInstance=nope`);
    expect(unknown.json()).toEqual({ code: "NotFound", message: "No integration instance named nope." });
  });

  // The answer OIC gives after such a redirect:
  // http://niallcblogs.blogspot.com/2024/05/1016-oic3-factory-api-design-and.html
  it("loses the bearer token when axios follows the redirect, so OIC answers NotAuthenticated", async () => {
    const client = await env.createClient();
    const token = await tokenOf(client);
    const response = await axios.get(`${env.emu.runtimeUrl}${PATH}`, {
      headers: { Authorization: `Bearer ${token}` },
      ...env.axiosConfig(),
      maxRedirects: 5,
      timeout: 5_000,
    });
    expect(response.status).toBe(401);
    expect(response.data).toEqual(NOT_AUTHENTICATED);
  });
});

describe("GET /ic/api/integration/v1/connections on the design-time host", () => {
  it("lists the instance's seeded connections, deterministic per instance name", async () => {
    const client = await env.createClient({ roles: ["ServiceUser"] });
    const token = await tokenOf(client);
    const response = await connections(inst(), token);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json;charset=utf-8");
    const body = response.json<{ items: Record<string, unknown>[] }>();
    expect(body.items.map((c) => [c.id, c.name, c.status])).toEqual(CONNECTIONS_BY_NAME);
    const self = (id: string) =>
      `${env.emu.designTimeUrl}${PATH}/${id}?integrationInstance=${env.emu.integrationInstance}`;
    expect(body.items[0]).toEqual({
      ...INVENTORY_ERP_CLOUD,
      links: [
        { href: self("INVENTORY_ERP_CLOUD"), rel: "self" },
        { href: self("INVENTORY_ERP_CLOUD"), rel: "canonical" },
      ],
    });
    expect({ ...body, items: undefined }).toEqual({
      items: undefined,
      hasMore: false,
      totalResults: 12,
      limit: 100,
      offset: 0,
      links: [{ href: `${env.emu.designTimeUrl}${PATH}${inst()}`, rel: "self" }],
    });
    expect((await connections(inst(), token)).json()).toEqual(body);
    const second = await env.createClient({ roles: ["ServiceUser"], instance: "oicqa-emulator-ia" });
    const other = await connections(`?integrationInstance=oicqa-emulator-ia`, await tokenOf(second));
    expect(other.json<{ items: { id: string; name: string }[] }>().items.map((c) => [c.id, c.name])).toEqual([
      ["LEADS_AUTONOMOUS_TRANSACTION_PROCESSING", "Leads Autonomous Transaction Processing"],
      ["LEDGER_SERVICENOW", "Ledger ServiceNow"],
    ]);
  });

  it("pages with limit and offset, reporting hasMore and totalResults", async () => {
    const token = await tokenOf(await env.createClient());
    const all = (await connections(`${inst()}&limit=100`, token))
      .json<{ items: { id: string }[] }>()
      .items.map((i) => i.id);
    const first = (await connections(`${inst()}&limit=5&offset=0`, token)).json<{
      items: { id: string }[];
      hasMore: boolean;
    }>();
    expect(first.items.map((i) => i.id)).toEqual(all.slice(0, 5));
    expect(first.hasMore).toBe(true);
    const last = (await connections(`${inst()}&limit=5&offset=10`, token)).json();
    expect(last).toMatchObject({ hasMore: false, totalResults: 12, limit: 5, offset: 10 });
    expect((last.items as unknown[]).length).toBe(2);
    const beyond = (await connections(`${inst()}&offset=50`, token)).json();
    expect(beyond).toMatchObject({ items: [], hasMore: false, totalResults: 12 });
    const bad = await connections(`${inst()}&limit=-1`, token);
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({
      code: "BadRequest",
      message: "limit and offset must be non-negative integers.",
    });
  });

  it("filters with q and orders with orderBy", async () => {
    const token = await tokenOf(await env.createClient());
    const ids = async (query: string) =>
      (await connections(`${inst()}&${query}`, token))
        .json<{ items: { id: string }[] }>()
        .items.map((i) => i.id);
    expect(await ids(`q=${encodeURIComponent("{status: 'INPROGRESS'}")}`)).toEqual([
      "PAYMENTS_FTP",
      "SHIPMENTS_REST",
    ]);
    expect(await ids(`q=${encodeURIComponent("{name:'Leads Object Storage'}")}`)).toEqual([
      "LEADS_OBJECT_STORAGE",
    ]);
    expect(await ids(`q=${encodeURIComponent("{name:'leads object storage'}")}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent("{name: /payments/, status: 'CONFIGURED'}")}`)).toEqual([
      "PAYMENTS_HCM_CLOUD",
    ]);
    expect(await ids("orderBy=time")).toEqual([
      "INVENTORY_ERP_CLOUD",
      "WORKERS_REST",
      "SHIPMENTS_REST",
      "INVOICES_SOAP",
      "SHIPMENTS_FTP",
      "PAYMENTS_HCM_CLOUD",
      "LEADS_OBJECT_STORAGE",
      "INVENTORY_SALESFORCE",
      "ORDERS_APACHE_KAFKA",
      "PAYMENTS_FTP",
      "SUPPLIERS_HCM_CLOUD",
      "ORDERS_AUTONOMOUS_TRANSACTION_PROCESSING",
    ]);
    expect((await connections(`${inst()}&q=${encodeURIComponent("{colour:'red'}")}`, token)).json()).toEqual({
      code: "BadRequest",
      message: "Invalid q term \"colour:'red'\": use name, status or role.",
    });
    expect((await connections(`${inst()}&orderBy=size`, token)).json()).toEqual({
      code: "BadRequest",
      message: 'Invalid orderBy "size": use name, time or type.',
    });
  });

  it("reads one connection and 404s an unknown one", async () => {
    const token = await tokenOf(await env.createClient());
    const response = await env.request(`${env.emu.designTimeUrl}${PATH}/LEADS_OBJECT_STORAGE${inst()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const self = `${env.emu.designTimeUrl}${PATH}/LEADS_OBJECT_STORAGE?integrationInstance=${env.emu.integrationInstance}`;
    expect(response.json()).toEqual({
      ...LEADS_OBJECT_STORAGE,
      links: [
        { href: self, rel: "self" },
        { href: self, rel: "canonical" },
      ],
    });
    const missing = await env.request(`${env.emu.designTimeUrl}${PATH}/NOPE${inst()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ code: "NotFound", message: "Connection NOPE was not found." });
  });

  it("requires integrationInstance (400) naming a known instance (404)", async () => {
    const token = await tokenOf(await env.createClient());
    const missing = await connections("", token);
    expect(missing.status).toBe(400);
    expect(missing.json()).toEqual({
      code: "BadRequest",
      message: "The integrationInstance query parameter is required.",
    });
    const unknown = await connections("?integrationInstance=nope", token);
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ code: "NotFound", message: "Integration instance nope was not found." });
  });

  it("answers 401 NotAuthenticated without a token, or with one that is not a JWT", async () => {
    for (const token of [undefined, "not-a-jwt", "abc.def.ghi"]) {
      const response = await connections(inst(), token);
      expect([response.status, response.json()]).toEqual([401, NOT_AUTHENTICATED]);
    }
  });

  /** Each way a token can be wrong, alone: the token is otherwise one this client could use here. */
  describe("answers 401 NotAuthenticated to a token wrong in one way only", () => {
    it("signed with another key (same header, claims, audience and lifetime)", async () => {
      const client = await env.createClient({ roles: ["ServiceUser"] });
      const token = await tokenOf(client);
      expect((await connections(inst(), token)).status).toBe(200);
      const { privateKey } = await generateKeyPair("RS256");
      const resigned = await new SignJWT(decodeJwt(token))
        .setProtectedHeader(decodeProtectedHeader(token) as JWTHeaderParameters)
        .sign(privateKey);
      expect(resigned.split(".").slice(0, 2)).toEqual(token.split(".").slice(0, 2));
      const response = await connections(inst(), resigned);
      expect([response.status, response.json()]).toEqual([401, NOT_AUTHENTICATED]);
    });

    it("with claims changed under the domain's own signature", async () => {
      const client = await env.createClient({ roles: ["ServiceUser"] });
      const [header, payload, signature] = (await tokenOf(client)).split(".");
      const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as { exp: number };
      const longer = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 60 })).toString("base64url");
      const response = await connections(inst(), `${header}.${longer}.${signature}`);
      expect([response.status, response.json()]).toEqual([401, NOT_AUTHENTICATED]);
    });

    it("expired (the domain's own, for this instance: a lifetime of 0 s)", async () => {
      const client = await env.createClient({ roles: ["ServiceUser"] });
      const expired = await tokenOf(client, `${client.scopes.icApi} urn:opc:resource:expiry=0`);
      const claims = decodeJwt(expired);
      expect([claims.aud, (claims.exp ?? 0) - (claims.iat ?? 0)]).toEqual([[env.emu.audience], 0]);
      const response = await connections(inst(), expired);
      expect([response.status, response.json()]).toEqual([401, NOT_AUTHENTICATED]);
    });

    it("for another audience (another instance's, or the domain's own admin audience)", async () => {
      const secondInstance = env.emu.instances[1];
      if (!secondInstance) throw new Error("second instance missing");
      const client = await env.createClient({ roles: ["ServiceUser"] });
      const token = await tokenOf(client);
      expect((await connections(inst(), token)).status).toBe(200);
      for (const [query, bearer] of [
        [`?integrationInstance=${secondInstance.integrationInstance}`, token],
        [inst(), await env.adminToken()],
      ] as const) {
        const response = await connections(query, bearer);
        expect([response.status, response.json()]).toEqual([401, NOT_AUTHENTICATED]);
      }
    });
  });

  it.each(["ServiceAdministrator", "ServiceDeveloper", "ServiceUser", "ServiceViewer"])(
    "lets %s view connections",
    async (role) => {
      const token = await tokenOf(await env.createClient({ roles: [role] }), env.emu.scopes.consumerAll);
      expect((await connections(inst(), token)).status).toBe(200);
    },
  );

  it.each([[["ServiceInvoker"]], [["ServiceMonitor", "ServiceDeployer"]], [[]]])(
    "refuses a client with only %j (401)",
    async (roles) => {
      const token = await tokenOf(await env.createClient({ roles }));
      const response = await connections(inst(), token);
      expect(response.status).toBe(401);
      expect(response.json()).toEqual(ROLE_REFUSED);
    },
  );

  it("refuses a role granted on another instance, and a grant deleted after the token was issued", async () => {
    const secondInstance = env.emu.instances[1]?.integrationInstance;
    const elsewhere = await env.createClient({ roles: ["ServiceUser"], instance: secondInstance });
    const elsewhereToken = (await env.token(elsewhere.clientId, elsewhere.clientSecret, env.emu.scopes.icApi))
      .status;
    expect(elsewhereToken).toBe(400);
    const client = await env.createClient({ roles: ["ServiceUser"] });
    const token = await tokenOf(client);
    expect((await connections(inst(), token)).status).toBe(200);
    expect((await env.admin("DELETE", `/admin/v1/Grants/${String(client.grantIds[0])}`)).status).toBe(204);
    expect((await connections(inst(), token)).json()).toEqual(ROLE_REFUSED);
  });

  it("counts a new grant only after the grants propagation delay", async () => {
    env.emu.control.setPropagationDelays({ grantsMs: 60_000 });
    try {
      const token = await tokenOf(await env.createClient({ roles: ["ServiceUser"] }));
      expect((await connections(inst(), token)).json()).toEqual(ROLE_REFUSED);
      env.emu.control.setPropagationDelays({ grantsMs: 0 });
      expect((await connections(inst(), token)).status).toBe(200);
    } finally {
      env.emu.control.setPropagationDelays({ grantsMs: 0 });
    }
  });

  describe.each([
    ["401-not-authorized", 401, ROLE_REFUSED],
    ["401-not-authenticated", 401, NOT_AUTHENTICATED],
    ["403-not-authorized", 403, ROLE_REFUSED],
  ] as const)("with missingRoleAnswer %s", (answer, status, body) => {
    it(`answers ${status} ${body.code} for a missing role and for a grant not yet propagated`, async () => {
      env.emu.control.setMissingRoleAnswer(answer);
      try {
        const invoker = await tokenOf(await env.createClient({ roles: ["ServiceInvoker"] }));
        const refused = await connections(inst(), invoker);
        expect([refused.status, refused.json()]).toEqual([status, body]);
        env.emu.control.setPropagationDelays({ grantsMs: 60_000 });
        const user = await tokenOf(await env.createClient({ roles: ["ServiceUser"] }));
        const waiting = await connections(inst(), user);
        expect([waiting.status, waiting.json()]).toEqual([status, body]);
        env.emu.control.setPropagationDelays({ grantsMs: 0 });
        expect((await connections(inst(), user)).status).toBe(200);
        // A token the design-time host refuses is NotAuthenticated whatever the knob says.
        const foreign = await connections(inst(), "not-a-jwt");
        expect([foreign.status, foreign.json()]).toEqual([401, NOT_AUTHENTICATED]);
      } finally {
        env.emu.control.setPropagationDelays({ grantsMs: 0 });
        env.emu.control.setMissingRoleAnswer("401-not-authorized");
      }
    });
  });

  it("answers 405 for another method and 404 for another path, in OIC's {code, message} shape", async () => {
    const post = await env.request(`${env.emu.designTimeUrl}${PATH}${inst()}`, {
      method: "POST",
      body: "{}",
    });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET");
    expect(post.json()).toEqual({
      code: "MethodNotAllowed",
      message: `Method POST is not allowed on ${PATH}.`,
    });
    const other = await env.request(`${env.emu.designTimeUrl}/ic/api/integration/v1/flows`);
    expect(other.json()).toEqual({
      code: "NotFound",
      message: "No route for GET /ic/api/integration/v1/flows.",
    });
  });
});
