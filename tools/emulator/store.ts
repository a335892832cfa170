/**
 * The identity domain's mutable state: apps, app roles and grants, kept as the SCIM JSON the admin API
 * returns (computed attributes such as `grantedAppRoles` are added when rendering), plus the bookkeeping the
 * JSON does not show (when an app became active, when each allowed scope was added, where a record came from).
 */
import { randomHex } from "./ids";

export type Json = Record<string, unknown>;

/** `oracle`: an Oracle-managed app (OIC instance app, IDCSAppId); `admin`: the seeded admin client. */
export type Origin = "oracle" | "admin" | "seed" | "api";

export interface AppRecord {
  resource: Json;
  /** When the app last became active; undefined while inactive. */
  activeSince: number | undefined;
  /** `allowedScopes[].fqs` → when it was added. */
  scopeAddedAt: Map<string, number>;
  readonly origin: Origin;
}

export interface RoleRecord {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly resource: Json;
}

export interface GrantRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly granteeId: string;
  readonly granteeType: string;
  readonly appId: string | undefined;
  readonly roleId: string | undefined;
  readonly compositeKey: string;
  readonly origin: Origin;
  readonly resource: Json;
}

export function str(resource: Json, key: string): string | undefined {
  const value = resource[key];
  return typeof value === "string" ? value : undefined;
}

export function obj(resource: Json, key: string): Json | undefined {
  const value = resource[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function arr(resource: Json, key: string): unknown[] {
  const value = resource[key];
  return Array.isArray(value) ? value : [];
}

/** SCIM timestamps as identity domains print them: ISO 8601 with milliseconds, UTC. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** `meta.version`: 32 hex like the documented example; identity domains' real algorithm is unknown. */
export function newVersion(): string {
  return randomHex(16);
}

export function newMeta(resourceType: string, location: string, now: number): Json {
  const time = timestamp(now);
  return { resourceType, created: time, lastModified: time, location, version: newVersion() };
}

/** Marks a resource as changed: new `lastModified` and `version`. */
export function touch(resource: Json, now: number): void {
  const meta = obj(resource, "meta") ?? {};
  resource.meta = { ...meta, lastModified: timestamp(now), version: newVersion() };
}

/** `ETag: W/"<meta.version>"`: unconfirmed, no public source shows the exact format. */
export function etagOf(resource: Json): string {
  return `W/"${str(obj(resource, "meta") ?? {}, "version") ?? ""}"`;
}

/** `If-Match` holds when absent, `*`, or naming the current version in weak, strong or bare form. */
export function ifMatchHolds(ifMatch: string | undefined, resource: Json): boolean {
  if (ifMatch === undefined || ifMatch.trim() === "*") return true;
  const version = str(obj(resource, "meta") ?? {}, "version") ?? "";
  return ifMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, "").replace(/^"|"$/g, ""))
    .includes(version);
}

export class DomainStore {
  readonly apps = new Map<string, AppRecord>();
  readonly roles = new Map<string, RoleRecord>();
  readonly grants = new Map<string, GrantRecord>();

  /**
   * `name` and `displayName` are unique and not case-exact (oci-go-sdk identitydomains/app.go: uniqueness
   * server, caseExact false).
   */
  appByName(name: string): AppRecord | undefined {
    const lower = name.toLowerCase();
    for (const app of this.apps.values()) if (str(app.resource, "name")?.toLowerCase() === lower) return app;
    return undefined;
  }

  appByDisplayName(displayName: string): AppRecord | undefined {
    const lower = displayName.toLowerCase();
    for (const app of this.apps.values()) {
      if (str(app.resource, "displayName")?.toLowerCase() === lower) return app;
    }
    return undefined;
  }

  rolesOf(appId: string): RoleRecord[] {
    return [...this.roles.values()].filter((role) => role.appId === appId);
  }

  grantsTo(granteeId: string): GrantRecord[] {
    return [...this.grants.values()].filter((grant) => grant.granteeId === granteeId);
  }

  grantsOn(appId: string): GrantRecord[] {
    return [...this.grants.values()].filter((grant) => grant.appId === appId);
  }

  grantByCompositeKey(key: string): GrantRecord | undefined {
    for (const grant of this.grants.values()) if (grant.compositeKey === key) return grant;
    return undefined;
  }

  /** The resource app whose published `scopes[].fqs` equals `fqs` (exact: `fqs` is caseExact). */
  definingApp(fqs: string): { readonly app: AppRecord; readonly value: string } | undefined {
    for (const app of this.apps.values()) {
      for (const scope of arr(app.resource, "scopes")) {
        const s = scope as Json;
        if (str(s, "fqs") === fqs) return { app, value: str(s, "value") ?? "" };
      }
    }
    return undefined;
  }

  /** Deletes the app with its roles and every grant that names it as grantee or as granting app. */
  deleteApp(appId: string): void {
    this.apps.delete(appId);
    for (const role of this.rolesOf(appId)) this.roles.delete(role.id);
    for (const [id, grant] of this.grants) {
      if (grant.granteeId === appId || grant.appId === appId) this.grants.delete(id);
    }
  }
}
