/**
 * One emulator per test file: `const env = useEmulator({ ... })` at the top of a describe/file registers
 * beforeAll/afterAll. Conveniences: a raw HTTP(S) request that trusts the emulator's CA and never follows
 * redirects, the admin bearer token, and a ready confidential client created through the real admin API.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { afterAll, beforeAll } from "vitest";
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../tools/emulator";

export interface HttpResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** PEM of a CA to trust for https URLs. */
  readonly ca?: string;
  readonly timeoutMs?: number;
}

/** A single HTTP(S) exchange with TLS verified against `ca`; redirects are returned, not followed. */
export function httpRequest(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      {
        method: options.method ?? "GET",
        headers: {
          ...(options.body !== undefined
            ? { "content-length": String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
        ...(target.protocol === "https:" && options.ca ? { ca: options.ca } : {}),
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`Timed out: ${options.method ?? "GET"} ${url}`)));
    request.on("error", reject);
    request.end(options.body);
  });
}

export interface CreatedClient {
  readonly appId: string;
  /** The app's `name`: the OAuth client id. */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly grantIds: readonly string[];
  /** The fully qualified scopes it may request, by kind. */
  readonly scopes: { readonly consumerAll: string; readonly icApi: string };
}

export interface ClientSpec {
  readonly displayName?: string;
  /** OIC role names to grant (default ServiceUser). */
  readonly roles?: readonly string[];
  /** Scope kinds in `allowedScopes` (default both). */
  readonly scopeKinds?: readonly ("consumerAll" | "icApi")[];
  readonly active?: boolean;
  /** Service-instance name (default the first instance). */
  readonly instance?: string;
}

export interface EmulatorFixture {
  /** The running emulator; only available inside tests and hooks after beforeAll. */
  readonly emu: EmulatorHandle;
  /** The CA PEM to trust (undefined with `http: true`). */
  readonly ca: string | undefined;
  request(url: string, options?: RequestOptions): Promise<HttpResult>;
  /** A bearer token of the seeded admin client (cached). */
  adminToken(): Promise<string>;
  /** An authorized call to the identity domain, `path` relative to `idcsUrl`; a body object is sent as JSON. */
  admin(method: string, path: string, body?: unknown): Promise<HttpResult>;
  /** `POST /oauth2/v1/token` with Basic auth and a form body. */
  token(clientId: string, clientSecret: string, scope: string): Promise<HttpResult>;
  /** Creates an active confidential client with client_credentials, the scopes and the roles, via /admin/v1. */
  createClient(spec?: ClientSpec): Promise<CreatedClient>;
  /** For axios: trust the CA, follow no redirects, let every status through. */
  axiosConfig(): { httpsAgent?: https.Agent; maxRedirects: 0; validateStatus: () => boolean };
}

let clientCounter = 0;

/** The seeded administrator of a running emulator: its token, authorized calls to `/admin/v1`, ready clients. */
export function emulatorAdmin(
  handle: EmulatorHandle,
): Pick<EmulatorFixture, "token" | "adminToken" | "admin" | "createClient"> {
  const ca = handle.caFile ? readFileSync(handle.caFile, "utf8") : undefined;
  let cachedAdminToken: string | undefined;
  const admin: Pick<EmulatorFixture, "token" | "adminToken" | "admin" | "createClient"> = {
    async token(clientId, clientSecret, scope) {
      return httpRequest(`${handle.idcsUrl}/oauth2/v1/token`, {
        method: "POST",
        ca,
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
      });
    },
    async adminToken() {
      if (cachedAdminToken) return cachedAdminToken;
      const response = await admin.token(
        handle.admin.clientId,
        handle.admin.clientSecret,
        handle.admin.scope,
      );
      if (response.status !== 200) throw new Error(`Admin token request failed with ${response.status}`);
      cachedAdminToken = response.json<{ access_token: string }>().access_token;
      return cachedAdminToken;
    },
    async admin(method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${await admin.adminToken()}` };
      if (body !== undefined) headers["content-type"] = "application/scim+json";
      return httpRequest(`${handle.idcsUrl}${path}`, {
        method,
        ca,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    },
    async createClient(spec = {}) {
      const instance = handle.instances.find(
        (i) => i.integrationInstance === (spec.instance ?? handle.integrationInstance),
      );
      if (!instance) throw new Error(`No instance ${spec.instance ?? ""}`);
      clientCounter += 1;
      const created = await admin.admin("POST", "/admin/v1/Apps", {
        schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
        displayName: spec.displayName ?? `test-client-${process.pid}-${clientCounter}`,
        basedOnTemplate: { value: "CustomWebAppTemplateId" },
        isOAuthClient: true,
        clientType: "confidential",
        allowedGrants: ["client_credentials"],
        allowedScopes: (spec.scopeKinds ?? ["consumerAll", "icApi"]).map((kind) => ({
          fqs: instance.scopes[kind],
        })),
        active: spec.active ?? true,
      });
      if (created.status !== 201)
        throw new Error(`Creating the app failed with ${created.status}: ${created.text}`);
      const app = created.json<{ id: string; name: string; clientSecret: string }>();
      const grantIds: string[] = [];
      for (const role of spec.roles ?? ["ServiceUser"]) {
        const filter = `app.value eq "${instance.oicAppId}" and displayName eq "${role}"`;
        const roles = await admin.admin("GET", `/admin/v1/AppRoles?filter=${encodeURIComponent(filter)}`);
        const roleId = roles.json<{ Resources: { id: string }[] }>().Resources[0]?.id;
        if (!roleId) throw new Error(`No role ${role}`);
        const grant = await admin.admin("POST", "/admin/v1/Grants", {
          schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
          grantMechanism: "ADMINISTRATOR_TO_APP",
          grantee: { type: "App", value: app.id },
          app: { value: instance.oicAppId },
          entitlement: { attributeName: "appRoles", attributeValue: roleId },
        });
        if (grant.status !== 201)
          throw new Error(`Granting ${role} failed with ${grant.status}: ${grant.text}`);
        grantIds.push(grant.json<{ id: string }>().id);
      }
      return {
        appId: app.id,
        clientId: app.name,
        clientSecret: app.clientSecret,
        grantIds,
        scopes: instance.scopes,
      };
    },
  };
  return admin;
}

export function useEmulator(options: EmulatorOptions = {}): EmulatorFixture {
  let handle: EmulatorHandle | undefined;
  let ca: string | undefined;
  beforeAll(async () => {
    handle = await startEmulator(options);
    ca = handle.caFile ? readFileSync(handle.caFile, "utf8") : undefined;
  });
  afterAll(async () => {
    await handle?.close();
  });

  let administratorOfHandle: ReturnType<typeof emulatorAdmin> | undefined;
  const administrator = () => (administratorOfHandle ??= emulatorAdmin(emu()));

  const emu = (): EmulatorHandle => {
    if (!handle) throw new Error("The emulator is not running: use the fixture inside tests or hooks.");
    return handle;
  };

  const fixture: EmulatorFixture = {
    get emu() {
      return emu();
    },
    get ca() {
      return ca;
    },
    request: (url, requestOptions = {}) => httpRequest(url, { ca, ...requestOptions }),
    token: (clientId, clientSecret, scope) => administrator().token(clientId, clientSecret, scope),
    adminToken: () => administrator().adminToken(),
    admin: (method, path, body) => administrator().admin(method, path, body),
    createClient: (spec) => administrator().createClient(spec),
    axiosConfig() {
      return {
        ...(ca ? { httpsAgent: new https.Agent({ ca }) } : {}),
        maxRedirects: 0,
        validateStatus: () => true,
      };
    },
  };
  return fixture;
}

/** What the verifier needs to check a client of this emulator: its token URL, the `/ic/api/` scope, the design-time host. */
export function clientCheckInput(emu: EmulatorHandle, client: CreatedClient) {
  return {
    tokenUrl: `${emu.idcsUrl}/oauth2/v1/token`,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    scope: client.scopes.icApi,
    designTimeUrl: emu.designTimeUrl,
    integrationInstance: emu.integrationInstance,
    roles: ["ServiceUser"],
  };
}
