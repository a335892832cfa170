/**
 * The lifecycle of the OCI resources this program declares, as terraform-provider-oci v8.23.0 drives them under
 * the Pulumi bridge: which changes update and which replace (`ForceNew` in
 * `internal/service/identity_domains/identity_domains_app_resource.go` and `identity_domains_grant_resource.go`),
 * what refresh and import read, and what a data source answers for a missing object
 * (`internal/tfresource/errors.go` `handleMissingResourceError`: an empty result, not an error). The HTTP calls
 * themselves are the rehearsal's (`tools/rehearsal/ociProvider/emulatedProvider.ts`); this module only decides which to
 * make. Engine-free: the plugin's gRPC server (`main.ts`) and the tests call it with plain objects.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

import {
  OCI_TOKENS,
  OciProviderError,
  type EmulatedOciProvider,
} from "../../rehearsal/ociProvider/emulatedProvider";

type Props = Record<string, unknown>;

/** The engine's placeholder for a value not known during a preview, as the SDK names it. */
const UNKNOWN: string = unknownValue;

/** Arguments whose change replaces the resource: TF `ForceNew`. Every grant argument is ForceNew. */
const APP_FORCE_NEW: ReadonlySet<string> = new Set([
  "basedOnTemplate",
  "idcsEndpoint",
  "name",
  "isAliasApp",
  "isUnmanagedApp",
]);

/** What `pulumi import` takes as the id: the provider's importer format, `idcsEndpoint/{endpoint}/apps/{id}`. */
const IMPORT_ID = /^idcsEndpoint\/(.+)\/(apps|grants)\/([^/]+)$/;

export interface DiffResult {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly diffs: string[];
}

function isObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether the configured value is what the state already holds, the way a Terraform plan sees it: a key the
 * configuration leaves out is Optional + Computed and keeps its state value, so only configured keys count,
 * recursively into nested objects and lists of objects.
 */
export function coveredBy(configured: unknown, state: unknown): boolean {
  if (configured === UNKNOWN) return false;
  if (Array.isArray(configured)) {
    return (
      Array.isArray(state) &&
      configured.length === state.length &&
      configured.every((item, index) => coveredBy(item, state[index]))
    );
  }
  if (isObject(configured)) {
    return (
      isObject(state) && Object.entries(configured).every(([key, value]) => coveredBy(value, state[key]))
    );
  }
  return configured === state;
}

export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

export function ociResourceProvider(calls: EmulatedOciProvider) {
  function diff(type: string, olds: Props, news: Props): DiffResult {
    const keys = new Set([...Object.keys(news)]);
    const diffs = [...keys].filter((key) => !coveredBy(news[key], olds[key])).sort();
    const forceNew = type === OCI_TOKENS.grant ? () => true : (key: string) => APP_FORCE_NEW.has(key);
    return { changes: diffs.length > 0, replaces: diffs.filter(forceNew), diffs };
  }

  async function create(type: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    if (type === OCI_TOKENS.app) {
      const { id, state } = await calls.createApp(inputs);
      return { id, outs: state };
    }
    if (type === OCI_TOKENS.grant) {
      const { id, state } = await calls.createGrant(inputs);
      return { id, outs: state };
    }
    throw new OciProviderError(`the rehearsal's OCI provider does not manage ${type}`);
  }

  /**
   * Refresh and import. An import id carries the endpoint; the inputs a resource is imported with are the
   * arguments the state holds (the bridge's `ExtractInputsFromOutputs`). A 404 means the object is gone.
   */
  async function read(
    type: string,
    id: string,
    state: Props,
  ): Promise<{ id: string; props: Props; inputs: Props } | undefined> {
    const imported = IMPORT_ID.exec(id);
    const resourceId = imported?.[3] ?? id;
    const endpoint = imported?.[1] ?? state["idcsEndpoint"];
    const known = { ...state, idcsEndpoint: endpoint };
    const found =
      type === OCI_TOKENS.app
        ? await calls.readApp(resourceId, known)
        : type === OCI_TOKENS.grant
          ? await calls.readGrant(resourceId, known)
          : undefined;
    if (found === undefined) return undefined;
    return { id: resourceId, props: found, inputs: argumentsOf(type, found) };
  }

  async function update(type: string, id: string, olds: Props, news: Props): Promise<Props> {
    if (type !== OCI_TOKENS.app) {
      // Grants have no update in the provider: every change is a replacement, so the engine never asks.
      throw new OciProviderError(`${type} cannot be updated in place`);
    }
    return calls.updateApp(id, olds, news);
  }

  async function remove(type: string, id: string, state: Props): Promise<void> {
    if (type === OCI_TOKENS.app) return calls.deleteApp(id, state);
    if (type === OCI_TOKENS.grant) return calls.deleteGrant(id, state);
    throw new OciProviderError(`the rehearsal's OCI provider does not manage ${type}`);
  }

  async function invoke(token: string, args: Props): Promise<Props> {
    switch (token) {
      case OCI_TOKENS.getApp:
        return calls.getApp(args);
      case OCI_TOKENS.getAppRoles:
        return calls.getAppRoles(args);
      case OCI_TOKENS.getIntegrationInstance:
        return calls.getIntegrationInstance(args);
      default:
        throw new OciProviderError(`the rehearsal's OCI provider has no function ${token}`);
    }
  }

  return { diff, create, read, update, delete: remove, invoke };
}

/** The arguments of a resource a user can set (TF Optional/Required), as the bridge extracts them on import. */
const APP_ARGUMENTS = [
  "idcsEndpoint",
  "schemas",
  "displayName",
  "description",
  "isOauthClient",
  "clientType",
  "allowedGrants",
  "active",
  "attributeSets",
] as const;
const GRANT_ARGUMENTS = [
  "idcsEndpoint",
  "schemas",
  "grantMechanism",
  "grantee",
  "app",
  "appEntitlementCollection",
  "entitlement",
] as const;

function argumentsOf(type: string, state: Props): Props {
  const names: readonly string[] = type === OCI_TOKENS.grant ? GRANT_ARGUMENTS : APP_ARGUMENTS;
  const out: Props = {};
  for (const name of names) if (state[name] !== undefined) out[name] = state[name];
  if (type === OCI_TOKENS.app) {
    // Only the configurable parts of nested arguments: `fqs` of a scope, `value` of the template.
    const scopes = state["allowedScopes"];
    if (Array.isArray(scopes)) {
      out["allowedScopes"] = scopes.map((scope: unknown) =>
        isObject(scope) ? { fqs: scope["fqs"] } : scope,
      );
    }
    const template = state["basedOnTemplate"];
    if (isObject(template)) out["basedOnTemplate"] = { value: template["value"] };
  }
  return out;
}

export type OciResourceProvider = ReturnType<typeof ociResourceProvider>;
