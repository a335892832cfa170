/**
 * The few identity-domain admin calls the benchmark needs (a new confidential client with a scope and a
 * role grant), made through the project's HTTP client with the emulator's seeded admin client.
 */
import { createHttpClient, type HttpClient } from "../../components/http";
import type { EmulatorInfo } from "../emulator";
import { basicAuthorization } from "../../components/verifier";

export interface NewClient {
  readonly appId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export class EmulatorAdmin {
  private readonly http: HttpClient;
  private token: string | undefined;

  constructor(private readonly emulator: Pick<EmulatorInfo, "idcsUrl" | "caFile" | "admin" | "oicAppId">) {
    this.http = createHttpClient({
      caFile: emulator.caFile ?? undefined,
      allowPlainHttpOnLoopback: emulator.caFile === null,
    });
  }

  close(): void {
    this.http.close();
  }

  private async adminToken(): Promise<string> {
    if (this.token) return this.token;
    const { admin, idcsUrl } = this.emulator;
    const response = await this.http.request({
      method: "POST",
      url: `${idcsUrl}/oauth2/v1/token`,
      headers: { Authorization: basicAuthorization(admin.clientId, admin.clientSecret) },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: admin.scope }),
    });
    this.token = (JSON.parse(response.body) as { access_token: string }).access_token;
    return this.token;
  }

  private async call(method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await this.http.request({
      method,
      url: `${this.emulator.idcsUrl}${path}`,
      headers: {
        Authorization: `Bearer ${await this.adminToken()}`,
        "Content-Type": "application/scim+json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return JSON.parse(response.body) as Record<string, unknown>;
  }

  /** An active confidential client allowed `client_credentials` and the given fully qualified scopes. */
  async createClient(displayName: string, scopes: readonly string[]): Promise<NewClient> {
    const app = await this.call("POST", "/admin/v1/Apps", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:App"],
      displayName,
      basedOnTemplate: { value: "CustomWebAppTemplateId" },
      isOAuthClient: true,
      clientType: "confidential",
      allowedGrants: ["client_credentials"],
      allowedScopes: scopes.map((fqs) => ({ fqs })),
      active: true,
    });
    return { appId: String(app.id), clientId: String(app.name), clientSecret: String(app.clientSecret) };
  }

  /** Grants an OIC role of the emulator's first instance to the app. */
  async grantRole(appId: string, role: string): Promise<void> {
    const filter = `app.value eq "${this.emulator.oicAppId}" and displayName eq "${role}"`;
    const roles = await this.call("GET", `/admin/v1/AppRoles?filter=${encodeURIComponent(filter)}`);
    const roleId = (roles.Resources as Array<{ id: string }> | undefined)?.[0]?.id;
    if (roleId === undefined) throw new Error(`no role ${role} on the OIC app`);
    await this.call("POST", "/admin/v1/Grants", {
      schemas: ["urn:ietf:params:scim:schemas:oracle:idcs:Grant"],
      grantMechanism: "ADMINISTRATOR_TO_APP",
      grantee: { type: "App", value: appId },
      app: { value: this.emulator.oicAppId },
      entitlement: { attributeName: "appRoles", attributeValue: roleId },
    });
  }
}
