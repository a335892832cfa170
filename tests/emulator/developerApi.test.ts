import axios from "axios";
import { describe, expect, it } from "vitest";
import { seedConnections } from "../../emulator/oic/connections";
import { useEmulator, type CreatedClient } from "../support/emulator";

const env = useEmulator({ instances: [{ name: "oicqa-emulator-ia", connections: 2 }] });
/**
 * A second domain over plain HTTP whose tokens are born expired (tokenTtlSeconds 0) and signed with another
 * key; its client exists from the start because its admin tokens expire too.
 */
const other = useEmulator({
  http: true,
  tokenTtlSeconds: 0,
  instances: [{ name: "oicqa2-emulator-ia", connections: 1 }],
  apps: [{ displayName: "born-expired", scopes: ["icApi"], roles: ["ServiceUser"] }],
});

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

  it("loses the bearer token when axios follows the redirect, so OIC answers NotAuthenticated (NIALL)", async () => {
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
    const response = await connections(inst(), await tokenOf(client));
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json;charset=utf-8");
    const expected = seedConnections(env.emu.integrationInstance, 12).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const self = (id: string) =>
      `${env.emu.designTimeUrl}${PATH}/${encodeURIComponent(id)}?integrationInstance=${env.emu.integrationInstance}`;
    expect(response.json()).toEqual({
      items: expected.map((c) => ({
        ...c,
        links: [
          { href: self(c.id), rel: "self" },
          { href: self(c.id), rel: "canonical" },
        ],
      })),
      hasMore: false,
      totalResults: 12,
      limit: 100,
      offset: 0,
      links: [{ href: `${env.emu.designTimeUrl}${PATH}${inst()}`, rel: "self" }],
    });
    expect(seedConnections(env.emu.integrationInstance, 12)).toEqual(
      seedConnections(env.emu.integrationInstance, 12),
    );
    expect(seedConnections("another-name", 12)).not.toEqual(seedConnections(env.emu.integrationInstance, 12));
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
    const seeded = seedConnections(env.emu.integrationInstance, 12);
    const draft = (
      await connections(`${inst()}&q=${encodeURIComponent("{status: 'INPROGRESS'}")}`, token)
    ).json<{
      items: { id: string }[];
    }>();
    expect(draft.items.map((i) => i.id).sort()).toEqual(
      seeded
        .filter((c) => c.status === "INPROGRESS")
        .map((c) => c.id)
        .sort(),
    );
    const name = seeded[0]?.name ?? "";
    const exact = (await connections(`${inst()}&q=${encodeURIComponent(`{name:'${name}'}`)}`, token)).json<{
      items: { name: string }[];
    }>();
    expect(exact.items.map((i) => i.name)).toEqual([name]);
    const word = name.split(" ")[0]?.toLowerCase() ?? "";
    const contains = (
      await connections(`${inst()}&q=${encodeURIComponent(`{name: /${word}/, status: 'CONFIGURED'}`)}`, token)
    ).json<{
      items: { name: string; status: string }[];
    }>();
    expect(contains.items.length).toBe(
      seeded.filter((c) => c.name.toLowerCase().includes(word) && c.status === "CONFIGURED").length,
    );
    const byTime = (await connections(`${inst()}&orderBy=time`, token)).json<{
      items: { lastUpdated: string }[];
    }>();
    expect(byTime.items.map((i) => i.lastUpdated)).toEqual(
      [...seeded.map((c) => c.lastUpdated)].sort().reverse(),
    );
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
    const first = seedConnections(env.emu.integrationInstance, 12)[0];
    const response = await env.request(`${env.emu.designTimeUrl}${PATH}/${String(first?.id)}${inst()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ ...first });
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

  it("answers 401 NotAuthenticated without a token, with a bad, expired or foreign token, or another audience", async () => {
    const client = await env.createClient();
    const secondInstance = env.emu.instances[1];
    if (!secondInstance) throw new Error("second instance missing");
    const foreignClient = other.emu.seededApps[0];
    if (!foreignClient) throw new Error("seeded app missing");
    const foreignToken = await other.token(
      foreignClient.clientId,
      foreignClient.clientSecret,
      other.emu.scopes.icApi,
    );
    const expiredOwn = foreignToken.json<{ expires_in: number; access_token: string }>();
    const foreign = expiredOwn.access_token;
    const tokens = [undefined, "not-a-jwt", foreign, await env.adminToken(), await tokenOf(client)];
    const queries = [
      inst(),
      inst(),
      inst(),
      inst(),
      `?integrationInstance=${secondInstance.integrationInstance}`,
    ];
    for (const [i, token] of tokens.entries()) {
      const response = await connections(queries[i] ?? "", token);
      expect(response.status).toBe(401);
      expect(response.json()).toEqual(NOT_AUTHENTICATED);
    }
    expect(expiredOwn.expires_in).toBe(0);
    const response = await other.request(
      `${other.emu.designTimeUrl}${PATH}?integrationInstance=${other.emu.integrationInstance}`,
      {
        headers: { authorization: `Bearer ${expiredOwn.access_token}` },
      },
    );
    expect(response.status).toBe(401);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
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
