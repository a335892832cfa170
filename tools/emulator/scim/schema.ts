import { APP_ATTRIBUTES, APPROLE_ATTRIBUTES, GRANT_ATTRIBUTES } from "./schemaTable";

export type Returned = "always" | "default" | "request" | "never";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";

export interface AttributeInfo {
  /** Canonical path: `displayName` or `app.value`. */
  readonly path: string;
  readonly returned: Returned;
  readonly mutability: Mutability;
  readonly type: string;
  readonly searchable: boolean;
  readonly multiValued: boolean;
  readonly caseExact: boolean;
  readonly required: boolean;
}

export const APP_SCHEMA_URN = "urn:ietf:params:scim:schemas:oracle:idcs:App";
export const APP_ROLE_SCHEMA_URN = "urn:ietf:params:scim:schemas:oracle:idcs:AppRole";
export const GRANT_SCHEMA_URN = "urn:ietf:params:scim:schemas:oracle:idcs:Grant";
export const APP_STATUS_CHANGER_SCHEMA_URN = "urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger";
export const LIST_RESPONSE_SCHEMA_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const SEARCH_REQUEST_SCHEMA_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

function parseCode(path: string, code: string): AttributeInfo {
  const [returned, mutability, type, flags = ""] = code.split(" ");
  return {
    path,
    // RFC 7643 §3: every representation carries `schemas`, whatever the model comment says.
    returned: path === "schemas" ? "always" : (returned as Returned),
    mutability: mutability as Mutability,
    type: type ?? "string",
    searchable: flags.includes("S"),
    multiValued: flags.includes("M"),
    caseExact: flags.includes("C"),
    required: flags.includes("R"),
  };
}

/** The attribute definitions of one resource type, looked up case-insensitively (RFC 7644 §3.10). */
export class ResourceSchema {
  private readonly byLowerPath = new Map<string, AttributeInfo>();

  constructor(
    readonly resourceType: string,
    readonly schemaUrn: string,
    table: Readonly<Record<string, string>>,
  ) {
    for (const [path, code] of Object.entries(table))
      this.byLowerPath.set(path.toLowerCase(), parseCode(path, code));
  }

  /** `path` may carry the resource's schema URN as prefix (`urn:…:App:displayName`). */
  get(path: string): AttributeInfo | undefined {
    return this.byLowerPath.get(this.stripUrn(path).toLowerCase());
  }

  stripUrn(path: string): string {
    const prefix = `${this.schemaUrn.toLowerCase()}:`;
    return path.toLowerCase().startsWith(prefix) ? path.slice(prefix.length) : path;
  }

  topLevel(): AttributeInfo[] {
    return [...this.byLowerPath.values()].filter((a) => !a.path.includes("."));
  }

  subAttributes(parent: string): AttributeInfo[] {
    const prefix = `${parent.toLowerCase()}.`;
    return [...this.byLowerPath.entries()].filter(([key]) => key.startsWith(prefix)).map(([, info]) => info);
  }
}

export const APP_SCHEMA = new ResourceSchema("App", APP_SCHEMA_URN, APP_ATTRIBUTES);
export const APP_ROLE_SCHEMA = new ResourceSchema("AppRole", APP_ROLE_SCHEMA_URN, APPROLE_ATTRIBUTES);
export const GRANT_SCHEMA = new ResourceSchema("Grant", GRANT_SCHEMA_URN, GRANT_ATTRIBUTES);
