/**
 * The public face of the local emulator of an OCI identity domain and Oracle Integration.
 * Fixed early so that the verifier, the rehearsal and the tests can be written against it.
 */

/** What a client needs to talk to a running emulator; `oic-emulator` prints exactly this as one JSON line. */
export interface EmulatorInfo {
  /** Identity domain base URL, e.g. `https://127.0.0.1:<port>` (no path, no trailing slash). */
  readonly idcsUrl: string;
  /** OIC runtime host (127.0.0.2): answers `/ic/api/**` with 307 to the design-time host. */
  readonly runtimeUrl: string;
  /** OIC design-time host (127.0.0.3): serves the Developer API. */
  readonly designTimeUrl: string;
  /** Service-instance name of the seeded OIC instance (the `integrationInstance` query value). */
  readonly integrationInstance: string;
  /** OCID of the seeded OIC instance, answered at `GET <idcsUrl>/20190131/integrationInstances/{id}`. */
  readonly integrationInstanceId: string;
  /** The OIC instance's identity-domain app id (32 hex), `idcsInfo.idcsAppId`. */
  readonly oicAppId: string;
  /** `https://<GUID>.integration.<region>.ocp.oraclecloud.com:443` */
  readonly audience: string;
  /** The OIC app's fully qualified scopes (`audience + value`). */
  readonly scopes: { readonly consumerAll: string; readonly icApi: string };
  /** PEM file of the CA that signed the emulator's TLS certificate; null with `--http`. */
  readonly caFile: string | null;
  /** A seeded identity-domain administrator client: a bearer token for `/admin/v1` comes from the token endpoint. */
  readonly admin: { readonly clientId: string; readonly clientSecret: string; readonly scope: string };
}

export type EmulatorHost = "identity" | "runtime" | "designTime";

/** A canned failure, served instead of the real answer to matching requests. */
export interface FaultSpec {
  /** Which listener; any when omitted. */
  readonly host?: EmulatorHost;
  /** HTTP method; any when omitted. */
  readonly method?: string;
  /** Path prefix without the query, e.g. `/oauth2/v1/token`. */
  readonly path: string;
  /**
   * - `status`: answer `status` (429, 500, 502, 503) with a plausible body; 429 carries `Retry-After`.
   * - `reset`: destroy the socket before any response.
   * - `delay`: wait `delayMs` before sending the headers of the real answer.
   * - `malformed-json` / `truncated-json`: a 200 whose JSON body is broken / cut in the middle.
   * - `wrong-content-type`: the real body labelled `text/html`.
   * - `html-error`: an HTML error page with `status` (default 502), as a load balancer in front of the service
   *   serves it; the real handler does not run.
   * - `redirect`: `307` with `Location: location` (default: the same path and query on another host,
   *   `https://redirected.invalid`); the real handler does not run.
   */
  readonly kind:
    | "status"
    | "reset"
    | "delay"
    | "malformed-json"
    | "truncated-json"
    | "wrong-content-type"
    | "html-error"
    | "redirect";
  readonly status?: 429 | 500 | 502 | 503;
  /** Seconds for `Retry-After` on a 429 (default 1); `null` sends a 429 without `Retry-After`. */
  readonly retryAfterSeconds?: number | null;
  /** Milliseconds, for `delay`. */
  readonly delayMs?: number;
  /** Absolute URL for a `redirect`'s `Location`. */
  readonly location?: string;
  /** How many matching requests the fault answers before it disappears (default 1; `Infinity` for all). */
  readonly times?: number;
}

/** One request as the emulator saw it; never bodies, headers or query strings (they may carry secrets). */
export interface RecordedRequest {
  readonly host: EmulatorHost;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly status: number;
  /**
   * Who signed a request whose OCI signature the domain accepted: an API key's keyId (`<tenancy OCID>/<user
   * OCID>/<fingerprint>`), or `securityToken:<sub>` for a security token (the token itself is not kept).
   */
  readonly signedBy?: string;
  /** Epoch milliseconds when the request arrived (with `at`, how many were in flight at once). */
  readonly receivedAt: number;
  /** Epoch milliseconds when the response finished (or the socket was reset: status 0). */
  readonly at: number;
}

/**
 * How long a change stays invisible to the token endpoint and the Developer API after the admin API made it,
 * as an eventually consistent identity domain would behave.
 */
export interface PropagationDelays {
  /** A new app (or a re-activated one) gives `invalid_client` until then. */
  readonly appsMs?: number;
  /** A new grant does not count for OIC's role check until then (401 from the Developer API). */
  readonly grantsMs?: number;
  /** New `allowedScopes` give `invalid_scope` until then. */
  readonly scopesMs?: number;
}

/**
 * What OIC answers when the token's client has no role that may view connections, or its grant has not
 * propagated yet. No public source shows it: a 401 is inferred from Oracle's "Unauthorized Errors: Check Roles
 * Assigned to Your Confidential Application"
 * (https://docs.oracle.com/en/cloud/paas/application-integration/integrations-user/check-roles-assigned-your-confidential-application.html),
 * and a 403 is possible. So the emulator can give each plausible answer, in OCI's `{code, message}` shape:
 * - `401-not-authorized` (default): 401 `NotAuthorized`, naming the roles that would do;
 * - `401-not-authenticated`: 401 `NotAuthenticated`, the very answer to a token OIC refuses;
 * - `403-not-authorized`: 403 `NotAuthorized`, OCI's common 403
 *   (https://docs.oracle.com/en-us/iaas/Content/API/References/apierrors.htm).
 */
export type MissingRoleAnswer = "401-not-authorized" | "401-not-authenticated" | "403-not-authorized";

export const MISSING_ROLE_ANSWERS: readonly MissingRoleAnswer[] = [
  "401-not-authorized",
  "401-not-authenticated",
  "403-not-authorized",
];

/** How the emulated OIC behaves where no source says; read and set with `control.oic()` / `setMissingRoleAnswer`. */
export interface OicBehaviour {
  readonly missingRoleAnswer: MissingRoleAnswer;
}

/** Summary of the domain's mutable state, for tests and the rehearsal; secrets left out. */
export interface EmulatorStateSnapshot {
  readonly apps: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly displayName: string;
    readonly active: boolean;
    readonly isOAuthClient: boolean;
  }>;
  readonly grants: ReadonlyArray<{
    readonly id: string;
    readonly granteeId: string;
    readonly appId: string;
    readonly roleId: string;
  }>;
}

/**
 * The certificate a host presents to new TLS connections: `trusted` (signed by the CA of `caFile`, the default)
 * or `untrusted` (signed by another CA, which no client is given), as a proxy intercepting TLS or a host
 * misconfigured with a private CA would present.
 */
export type CertificateTrust = "trusted" | "untrusted";

/**
 * A security token for `keyId="ST$<token>"` signatures, as OCI's authentication service issues them to
 * `oci session authenticate` (a user's session) or to a resource principal (its RPST): a JWT, signed by the
 * emulator, whose `jwk` claim holds the session public key (see identity/securityTokens.ts).
 */
export interface MintSecurityTokenOptions {
  /** PEM (SPKI) of the session public key; requests must be signed with its private half. */
  readonly publicKeyPem: string;
  /** The principal's OCID (`sub`); default a made-up user (or resource) OCID. */
  readonly subject?: string;
  /** The tenancy OCID (`tenant`, and `res_tenant` for a resource principal); default a made-up one. */
  readonly tenancyOcid?: string;
  /** `session` (default) or `resource`. */
  readonly kind?: "session" | "resource";
  /** Lifetime in seconds (default 3600); 0 mints a token that has already expired. */
  readonly ttlSeconds?: number;
}

/** In-process knobs; the same operations are served under `/__emulator/*` when `controlApi` is on. */
export interface EmulatorControl {
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  setPropagationDelays(delays: PropagationDelays): void;
  /** Which answer OIC gives a client without the role (see MissingRoleAnswer). */
  setMissingRoleAnswer(answer: MissingRoleAnswer): void;
  oic(): OicBehaviour;
  /**
   * Which certificate `host` presents from its next TLS handshake on (connections already open keep theirs).
   * Throws with plain HTTP.
   */
  setCertificate(host: EmulatorHost, certificate: CertificateTrust): void;
  certificates(): Readonly<Record<EmulatorHost, CertificateTrust>>;
  requests(): readonly RecordedRequest[];
  clearRequests(): void;
  /** Apps and grants created through the admin API (seeded OIC and admin apps excluded). */
  state(): EmulatorStateSnapshot;
  /** A security token the domain accepts in `keyId="ST$<token>"` signatures made with the session key. */
  mintSecurityToken(options: MintSecurityTokenOptions): Promise<string>;
}

export interface SeedInstance {
  /** Service-instance name, e.g. `oicdev-axhknnpmgslz-ia`. */
  readonly name: string;
  readonly region?: string;
  /** Number of seeded connections (default 12). */
  readonly connections?: number;
}

/**
 * A customer app that already exists in the domain when the emulator starts (e.g. one made in the console),
 * always a confidential client allowed `client_credentials`.
 */
export interface SeedApp {
  /** Display name, unique in the domain. */
  readonly displayName: string;
  /** Default true. */
  readonly active?: boolean;
  /** Scopes of the OIC instance (see `instance`) in `allowedScopes`; default none. */
  readonly scopes?: readonly ("consumerAll" | "icApi")[];
  /** OIC role display names granted to the app on that instance, e.g. `ServiceUser`; default none. */
  readonly roles?: readonly string[];
  /** Service-instance name whose scopes and roles are meant; default the first instance. */
  readonly instance?: string;
}

/** An API key the emulator trusts for admin calls: its public half, and whom the keyId must name. */
export interface TrustedApiKey {
  readonly publicKeyPem: string;
  readonly tenancyOcid?: string;
  readonly userOcid?: string;
}

export interface EmulatorOptions {
  /** Identity-domain port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Serve plain HTTP instead of TLS (`caFile` is then null). */
  readonly http?: boolean;
  /** Serve `/__emulator/*` (off by default). */
  readonly controlApi?: boolean;
  /** Extra OIC instances beside the default one, which is always first and is the one `EmulatorInfo` describes. */
  readonly instances?: readonly SeedInstance[];
  readonly propagation?: PropagationDelays;
  /** OIC's answer to a client without the role (default `401-not-authorized`). */
  readonly missingRoleAnswer?: MissingRoleAnswer;
  /**
   * When given, OCI request signatures on `/admin/v1` must name this public key (PEM) in their keyId (its OCI
   * fingerprint) and verify with it.
   */
  readonly adminPublicKeyPem?: string;
  /** When given (with `adminPublicKeyPem`), the keyId must name this tenancy OCID. */
  readonly adminKeyTenancyOcid?: string;
  /** When given (with `adminPublicKeyPem`), the keyId must name this user OCID. */
  readonly adminKeyUserOcid?: string;
  /**
   * More API keys trusted as `adminPublicKeyPem` is (another user, a key rotated to, an explicit provider's key):
   * a signature must then name one of them by its fingerprint, its tenancy and user when given, and verify with it.
   */
  readonly trustedApiKeys?: readonly TrustedApiKey[];
  /** Where the CA file is written (default: a fresh temporary directory). */
  readonly stateDir?: string;
  /** Lifetime of issued access tokens in seconds (default 3600; 0 issues tokens that are already expired). */
  readonly tokenTtlSeconds?: number;
  /** Customer apps that exist before the first request. */
  readonly apps?: readonly SeedApp[];
  /** Called after each recorded request (the CLI's `--log-requests` prints them to stderr). */
  readonly onRequest?: (request: RecordedRequest) => void;
}

export interface EmulatorHandle extends EmulatorInfo {
  readonly control: EmulatorControl;
  /** Every seeded OIC instance: the first is the one the top-level fields describe, then `options.instances` in order. */
  readonly instances: ReadonlyArray<{
    readonly integrationInstance: string;
    readonly integrationInstanceId: string;
    readonly oicAppId: string;
    readonly audience: string;
    readonly scopes: { readonly consumerAll: string; readonly icApi: string };
  }>;
  /** The apps of `options.apps`, in order, with their credentials (`clientId` is the app's `name`). */
  readonly seededApps: ReadonlyArray<{
    readonly id: string;
    readonly displayName: string;
    readonly clientId: string;
    readonly clientSecret: string;
  }>;
  close(): Promise<void>;
}
