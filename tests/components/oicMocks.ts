/**
 * `pulumi.runtime.setMocks` fixtures for the program's components: every registration is recorded, every invoke
 * is answered from a map keyed by token (an unmocked token throws), and the identity domain holds one OIC
 * instance with the roles and scopes Oracle defines.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

export const TOKENS = {
  app: "oci:Identity/domainsApp:DomainsApp",
  grant: "oci:Identity/domainsGrant:DomainsGrant",
  getApp: "oci:Identity/getDomainsApp:getDomainsApp",
  getAppRoles: "oci:Identity/getDomainsAppRoles:getDomainsAppRoles",
  getIntegrationInstance: "oci:Integration/getIntegrationInstance:getIntegrationInstance",
  accessCheck: "pulumi-nodejs:dynamic/oic-client-provisioner:OicAccessCheck",
  deactivation: "pulumi-nodejs:dynamic/oic-client-provisioner:AppDeactivation",
} as const;

/** What the mocked access check reports for every client: the facts a passing check records. */
export const mockCheckFacts = {
  diagnosis: "ok",
  httpStatus: 200,
  connections: 12,
  tokenExpiresAt: "2026-11-26T08:00:00.000Z",
  checkedAt: "2026-11-26T07:00:00.000Z",
} as const;

export const DOMAIN = "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com";
export const OIC_APP_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
export const AUDIENCE =
  "https://ABCDEF0123456789ABCDEF0123456789.integration.us-ashburn-1.ocp.oraclecloud.com:443";
export const FQS = {
  consumerAll: `${AUDIENCE}urn:opc:resource:consumer::all`,
  icApi: `${AUDIENCE}/ic/api/`,
} as const;
export const DESIGN_TIME_URL = "https://design.integration.us-ashburn-1.ocp.oraclecloud.com";
export const INSTANCE_NAME = "oicdev-axhknnpmgslz-ia";
export const INSTANCE_OCID = "ocid1.integrationinstance.oc1.iad.amaaaaaaexampleuniqueid";

export function hex32(seed: string): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, 32);
}

/** What the mocked identity domain answers for an app created under the resource name `name`. */
export const mockApp = {
  id: (name: string) => hex32(`id:${name}`),
  clientId: (name: string) => hex32(`client:${name}`),
  clientSecret: (name: string) => `idcscs-${hex32(`secret:${name}`)}`,
};
export const mockGrantId = (name: string) => hex32(`grant:${name}`);

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export interface InvokeRecord {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

export interface RoleRow {
  readonly id: string;
  readonly displayName: string;
  readonly appId: string;
}

export const registrations: Registration[] = [];
export const invokeLog: InvokeRecord[] = [];

/** Roles of every OIC instance's app in the mocked domain; tests add or remove rows. */
export const roleTable: RoleRow[] = [];
export const defaultRoles = (): RoleRow[] =>
  ["ServiceAdministrator", "ServiceDeveloper", "ServiceUser", "ServiceInvoker", "ServiceViewer"].flatMap(
    (role) => [
      { id: `role-${role}`, displayName: role, appId: OIC_APP_ID },
      // The same role names exist in another instance's app: a lookup by name alone would be ambiguous.
      { id: `other-${role}`, displayName: role, appId: "ffffffffffffffffffffffffffffffff" },
    ],
  );

type Inputs = Record<string, unknown>;
export const invokes = new Map<string, (inputs: Inputs) => Record<string, unknown>>();

const FILTER = /^displayName eq "([^"]*)" and app\.value eq "([^"]*)"$/;

export function defaultInvokes(): void {
  invokes.clear();
  invokes.set(TOKENS.getApp, (inputs) => {
    if (inputs["appId"] !== OIC_APP_ID) throw new Error(`no app ${String(inputs["appId"])}`);
    return {
      id: OIC_APP_ID,
      audience: AUDIENCE,
      scopes: [
        { value: "urn:opc:resource:consumer::all", fqs: FQS.consumerAll, displayName: "", description: "" },
        { value: "/ic/api/", fqs: FQS.icApi, displayName: "", description: "" },
      ],
    };
  });
  invokes.set(TOKENS.getAppRoles, (inputs) => {
    const match = FILTER.exec(String(inputs["appRoleFilter"]));
    if (match === null) throw new Error(`unexpected filter ${String(inputs["appRoleFilter"])}`);
    const [, displayName, appId] = match;
    const appRoles = roleTable
      .filter((row) => row.displayName === displayName && row.appId === appId)
      .map((row) => ({ id: row.id, displayName: row.displayName, apps: [{ value: row.appId }] }));
    return { appRoles, totalResults: appRoles.length, itemsPerPage: 50, schemas: [] };
  });
  invokes.set(TOKENS.getIntegrationInstance, (inputs) => {
    if (inputs["integrationInstanceId"] !== INSTANCE_OCID) throw new Error("no such instance");
    return {
      id: INSTANCE_OCID,
      displayName: "oicdev",
      idcsInfos: [{ idcsAppId: OIC_APP_ID, instancePrimaryAudienceUrl: AUDIENCE }],
      instanceDesignTimeUrl: DESIGN_TIME_URL,
      instanceUrl: `https://${INSTANCE_NAME}.integration.us-ashburn-1.ocp.oraclecloud.com/ic/home/`,
    };
  });
}

export function resetMocks(): void {
  registrations.length = 0;
  invokeLog.length = 0;
  roleTable.length = 0;
  roleTable.push(...defaultRoles());
  defaultInvokes();
}

export const mocks: pulumi.runtime.Mocks = {
  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = args.inputs as Inputs;
    registrations.push({ type: args.type, name: args.name, inputs });
    switch (args.type) {
      case TOKENS.app:
        return {
          id: mockApp.id(args.name),
          state: {
            ...inputs,
            name: mockApp.clientId(args.name),
            clientSecret: mockApp.clientSecret(args.name),
          },
        };
      case TOKENS.grant:
        return { id: mockGrantId(args.name), state: inputs };
      case TOKENS.accessCheck:
        return { id: `${args.name}_id`, state: { ...inputs, ...mockCheckFacts } };
      default:
        return { id: `${args.name}_id`, state: inputs };
    }
  },
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = args.inputs as Inputs;
    invokeLog.push({ token: args.token, inputs });
    const answer = invokes.get(args.token);
    if (answer === undefined) throw new Error(`unmocked invoke ${args.token}`);
    return answer(inputs);
  },
};

/**
 * The value of an output. `Output.promise()` is internal to the SDK but is the only way to see a rejection;
 * `apply` never runs its callback when the output failed.
 */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

/**
 * Runs `action` and collects the unhandled rejections it causes, the way the Pulumi runtime reports a failed
 * resource input: by its `unhandledRejection` handler. The test runner's own handlers are set aside meanwhile.
 * A resource whose input failed never resolves its outputs, so this waits for the first rejection (or for
 * `action` to finish), then lets a few more turns pass for the rest.
 */
export async function rejectionsDuring(action: () => Promise<unknown>): Promise<unknown[]> {
  return (await watch(action)).rejections;
}

async function watch(action: () => Promise<unknown>): Promise<{ rejections: unknown[]; failure?: unknown }> {
  const saved = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const rejections: unknown[] = [];
  let failure: unknown;
  let first: () => void = () => undefined;
  const rejected = new Promise<void>((resolve) => {
    first = resolve;
  });
  const collect = (reason: unknown) => {
    rejections.push(reason);
    first();
  };
  process.on("unhandledRejection", collect);
  try {
    await Promise.race([
      action().catch((error: unknown) => {
        failure = error;
      }),
      rejected,
    ]);
    // Node reports an unhandled rejection after the microtask queue drains: let a few turns pass.
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", collect);
    for (const listener of saved) process.on("unhandledRejection", listener);
  }
  return failure === undefined ? { rejections } : { rejections, failure };
}

/**
 * Runs `action` of a test that expects a clean deployment. A failed input would otherwise leave its resource's
 * outputs pending forever and surface as an unhandled rejection carrying the whole resource; this fails the
 * test at once with the messages instead.
 */
export async function deploys(action: () => Promise<unknown>): Promise<void> {
  const { rejections, failure } = await watch(action);
  const errors = [...new Set([...rejections, ...(failure === undefined ? [] : [failure])])];
  if (errors.length > 0) {
    const messages = errors.map((error) => (error instanceof Error ? error.message : String(error)));
    throw new Error(`the deployment failed: ${messages.join(" | ")}`);
  }
}

/** Pulumi puts `error serializing property "<input>": ` in front of a failed input's message, once per hop. */
export function withoutPulumiPrefixes(message: string): string {
  return message.replace(/^(error serializing property "\w+": )+/, "");
}
