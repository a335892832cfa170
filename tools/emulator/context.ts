/**
 * Everything a request handler may consult: the domain's identity and URLs, its state, the propagation
 * knob, the signing keys, the seeded OIC instances and the seeded admin client.
 */
import { type SigningKeys } from "./identity/jwks";
import { type SecurityTokenIssuer } from "./identity/securityTokens";
import { type TrustedKey } from "./identity/signature";
import { type Connection } from "./oic/connections";
import { type Propagation } from "./propagation";
import { type DomainStore } from "./store";
import { type MissingRoleAnswer } from "./types";

export interface OicInstance {
  /** Service-instance name (`integrationInstance`). */
  readonly name: string;
  readonly region: string;
  /** The integration instance's OCID. */
  readonly id: string;
  readonly displayName: string;
  /** The instance's identity-domain app (`idcsInfo.idcsAppId`). */
  readonly appId: string;
  readonly appName: string;
  readonly appDisplayName: string;
  /** `https://<GUID>.integration.<region>.ocp.oraclecloud.com:443` */
  readonly audience: string;
  readonly scopes: { readonly consumerAll: string; readonly icApi: string };
  readonly connections: readonly Connection[];
  readonly timeCreated: number;
}

export interface DomainInfo {
  readonly idcsUrl: string;
  readonly runtimeUrl: string;
  readonly designTimeUrl: string;
  /** `idcs-<32 hex>`: the `tenant` claim and the domain's logical GUID. */
  readonly tenant: string;
  readonly domainOcid: string;
  readonly compartmentOcid: string;
  readonly tenancyOcid: string;
}

export interface EmulatorContext {
  readonly info: DomainInfo;
  readonly store: DomainStore;
  readonly propagation: Propagation;
  /** OIC's answer to a client without the role: a knob, since no source shows it. */
  readonly oic: { missingRoleAnswer: MissingRoleAnswer };
  readonly keys: SigningKeys;
  readonly instances: readonly OicInstance[];
  readonly admin: { readonly appId: string; readonly clientId: string; readonly clientSecret: string };
  readonly tokenTtlSeconds: number;
  /** OCI request signatures of an API key must name and verify with one of these keys, when there are any. */
  readonly adminKeys: readonly TrustedKey[];
  /** Mints the security tokens (`ST$` keyIds) the emulator accepts, and checks them. */
  readonly securityTokens: SecurityTokenIssuer;
  now(): number;
}

/** The audience of identity-domain admin tokens (`urn:opc:idm:__myscopes__`). */
export function adminAudience(info: DomainInfo): string {
  return `urn:opc:lbaas:logicalguid=${info.tenant}`;
}
