/**
 * What a consumer of a confidential client may read without being allowed to read secrets: the one definition
 * of the component's `facts` output, of each entry of the program's `clients` stack output, and of what
 * `oic-verify --stack` parses. An interface, because Pulumi's component analyser turns interfaces (not zod's
 * inferred types) into the package schema's object types; the zod schema beside it is bound to it key by key.
 */
import { z } from "zod";

import { Probe } from "./oic";

/** What the access check found; a failed check fails the deployment, so a recorded one passed. */
export interface AccessCheckFacts {
  /** `ok`. */
  readonly diagnosis: string;
  /** The last HTTP status the check got: the Developer API's (probe `connections`) or the token endpoint's. */
  readonly httpStatus?: number;
  /** How many connections the Developer API listed (probe `connections`). */
  readonly connections?: number;
  /** When the token the check got expires (ISO 8601). */
  readonly tokenExpiresAt?: string;
  /** When the check ran (ISO 8601). */
  readonly checkedAt: string;
}

/** Everything a consumer needs to get a token and call OIC, except the client secret. */
export interface ClientFacts {
  /** The app's display name in the identity domain. */
  readonly displayName: string;
  /** The OAuth client ID: the app's `name` (not its `id`). */
  readonly clientId: string;
  /** The app's id (32 hex): the grantee of the grants. */
  readonly appId: string;
  /** `<idcsEndpoint>/oauth2/v1/token`. */
  readonly tokenUrl: string;
  /** The fully qualified scope to request a token with: the narrowest allowed scope that serves the probe. */
  readonly scope: string;
  /** The fully qualified scopes in the app's `allowedScopes`. */
  readonly allowedScopes: string[];
  /** The OIC app's audience (the `aud` of the client's tokens), when known. */
  readonly audience?: string;
  /** The granted OIC roles. */
  readonly roles: string[];
  /** The access-check probe: `connections`, `token` or `none`. */
  readonly probe: string;
  /** Ids of the grants, in the order of `roles`. */
  readonly grantIds: string[];
  /** Origin of the OIC design-time host, where the Developer API is called. */
  readonly designTimeUrl: string;
  /** Service-instance name, the `integrationInstance` query value. */
  readonly integrationInstance: string;
  /** What the access check found; absent for probe `none`. */
  readonly accessCheck?: AccessCheckFacts;
}

/** A zod schema with exactly the keys of `T`, each parsing to a value of that key's type. */
type SchemaOf<T> = { [K in keyof Required<T>]: z.ZodType<T[K]> };

export const accessCheckFactsSchema = z.object({
  diagnosis: z.string(),
  httpStatus: z.number().optional(),
  connections: z.number().optional(),
  tokenExpiresAt: z.string().optional(),
  checkedAt: z.string(),
} satisfies SchemaOf<AccessCheckFacts>);

export const clientFactsSchema = z.object({
  displayName: z.string(),
  clientId: z.string(),
  appId: z.string(),
  tokenUrl: z.string(),
  scope: z.string(),
  allowedScopes: z.array(z.string()),
  audience: z.string().optional(),
  roles: z.array(z.string()),
  probe: z.enum(Probe),
  grantIds: z.array(z.string()),
  designTimeUrl: z.string(),
  integrationInstance: z.string(),
  accessCheck: accessCheckFactsSchema.optional(),
} satisfies SchemaOf<ClientFacts>);
