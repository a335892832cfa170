/**
 * The emulator is hard to crash: arbitrary JSON bodies, filters, paths and methods get a proper 4xx answer
 * (never a 500, never a dropped connection), and the server keeps answering afterwards.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator, type HttpResult } from "../../support/emulator";

const env = useEmulator({ http: true, controlApi: true });

let token = "";
let appId = "";

beforeAll(async () => {
  token = await env.adminToken();
  appId = (await env.createClient({ roles: [] })).appId;
});

const APP_KEYS = [
  "schemas",
  "displayName",
  "name",
  "basedOnTemplate",
  "isOAuthClient",
  "clientType",
  "allowedGrants",
  "allowedScopes",
  "active",
  "scopes",
  "audience",
  "grantee",
  "app",
  "entitlement",
  "grantMechanism",
  "Operations",
  "filter",
  "count",
  "startIndex",
  "attributes",
  "urn:ietf:params:scim:schemas:oracle:idcs:extension:OCITags",
];
const SCHEMAS = [
  "urn:ietf:params:scim:schemas:oracle:idcs:App",
  "urn:ietf:params:scim:schemas:oracle:idcs:Grant",
  "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  "urn:ietf:params:scim:api:messages:2.0:SearchRequest",
  "urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger",
];

const plausibleValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(SCHEMAS),
  fc.constantFrom(...SCHEMAS).map((s) => [s]),
  fc.record({ value: fc.oneof(fc.string(), fc.constant("CustomWebAppTemplateId")) }),
  fc.array(
    fc.record({
      fqs: fc.string(),
      op: fc.constantFrom("add", "remove", "replace", "x"),
      path: fc.string(),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  ),
);
const body = fc.oneof(
  fc
    .dictionary(fc.oneof(fc.constantFrom(...APP_KEYS), fc.string()), plausibleValue, { maxKeys: 10 })
    .map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
);

async function send(
  method: string,
  path: string,
  payload?: string,
  contentType = "application/scim+json",
): Promise<HttpResult> {
  return env.request(`${env.emu.idcsUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    ...(payload === undefined ? {} : { body: payload }),
  });
}

function expectHandled(response: HttpResult): void {
  expect(response.status).toBeGreaterThanOrEqual(200);
  expect(response.status).toBeLessThan(500);
  if (response.status !== 204 && response.text !== "") JSON.parse(response.text);
}

async function stillAnswering(): Promise<void> {
  expect((await env.request(`${env.emu.idcsUrl}/admin/v1/SigningCert/jwk`)).status).toBe(200);
}

describe("robustness", () => {
  it("answers any JSON or non-JSON body on every write route with a 2xx or 4xx", async () => {
    const routes: [string, () => string][] = [
      ["POST", () => "/admin/v1/Apps"],
      ["PUT", () => `/admin/v1/Apps/${appId}`],
      ["PATCH", () => `/admin/v1/Apps/${appId}`],
      ["POST", () => "/admin/v1/Apps/.search"],
      ["POST", () => "/admin/v1/Grants"],
      ["POST", () => "/admin/v1/Grants/.search"],
      ["PUT", () => `/admin/v1/AppStatusChanger/${appId}`],
      ["POST", () => "/__emulator/faults"],
      ["PUT", () => "/__emulator/propagation"],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, path], payload) => {
        expectHandled(await send(method, path(), payload));
      }),
      { numRuns: 250 },
    );
    env.emu.control.clearFaults();
    env.emu.control.setPropagationDelays({ appsMs: 0, grantsMs: 0, scopesMs: 0 });
    await stillAnswering();
  });

  it("answers any filter, paging and projection on the list routes with 200 or 400", async () => {
    const query = fc.record({
      filter: fc.oneof(
        fc.string({ maxLength: 120 }),
        fc.constantFrom('displayName eq "x"', "app.value pr", "(", "not", '"'),
      ),
      count: fc.oneof(fc.string({ maxLength: 5 }), fc.integer().map(String)),
      startIndex: fc.oneof(fc.string({ maxLength: 5 }), fc.integer().map(String)),
      attributes: fc.string({ maxLength: 30 }),
      attributeSets: fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom("all", "ALWAYS,request", "never"),
      ),
      sortBy: fc.oneof(fc.constant(""), fc.constantFrom("displayName", "meta.created", "nope")),
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("Apps", "AppRoles", "Grants"), query, async (resource, q) => {
        const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== ""));
        const response = await send("GET", `/admin/v1/${resource}?${params.toString()}`);
        expect([200, 400]).toContain(response.status);
        JSON.parse(response.text);
      }),
      { numRuns: 250 },
    );
    await stillAnswering();
  });

  it("answers arbitrary token requests without a 5xx", async () => {
    const form = fc.dictionary(
      fc.constantFrom("grant_type", "scope", "client_id", "x"),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(
        form,
        fc.string({ maxLength: 40 }),
        fc.constantFrom("application/x-www-form-urlencoded", "text/plain"),
        async (fields, credentials, type) => {
          const response = await env.request(`${env.emu.idcsUrl}/oauth2/v1/token`, {
            method: "POST",
            headers: {
              authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
              "content-type": type,
            },
            body: new URLSearchParams(fields).toString(),
          });
          expectHandled(response);
        },
      ),
      { numRuns: 150 },
    );
    await stillAnswering();
  });

  it("answers arbitrary methods and paths on all three hosts without a 5xx", async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        "admin",
        "v1",
        "Apps",
        "ic",
        "api",
        "integration",
        "connections",
        "%",
        "%zz",
        "..",
        "20190131",
        "__emulator",
      ),
      fc.webSegment(),
    );
    const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((parts) => `/${parts.join("/")}`);
    const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");
    const host = fc.constantFrom(env.emu.idcsUrl, env.emu.runtimeUrl, env.emu.designTimeUrl);
    await fc.assert(
      fc.asyncProperty(host, method, path, async (base, verb, target) => {
        const response = await env.request(`${base}${target}`, {
          method: verb,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    await stillAnswering();
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const response = await send(
      "POST",
      "/admin/v1/Apps",
      JSON.stringify({ displayName: "x".repeat(1024 * 1024 + 10) }),
    );
    expect(response.status).toBe(413);
    expect(response.json()).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      detail: "The request body is larger than 1048576 bytes.",
      status: "413",
    });
    await stillAnswering();
  });
});
