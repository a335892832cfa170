import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  ALL_OIC_ROLES,
  ALL_OIC_SCOPE_KINDS,
  ALL_PROBES,
  OicFactsError,
  Probe,
  SERVICE_INSTANCE_NAME,
  appRoleFilter,
  checkOrigin,
  isOicRole,
  probeRoleProblem,
  redactUserInfo,
  resolveFullyQualifiedScopes,
  selectAppRoleId,
  tokenScope,
  type OicScopeKind,
  type ResolvedScope,
} from "./oic";
import type { OciApiKeyCredentials } from "./signing";
import { AppDeactivation } from "./appDeactivation";

/** `<package>:<module>:<Type>`; the package is the npm package name, as the component provider requires. */
export const OIC_CONFIDENTIAL_CLIENT_TYPE = "oic-client-provisioner:index:OicConfidentialClient";

export const APP_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:App";
export const GRANT_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:Grant";
/** Confidential and trusted clients are based on this template (Identity Domains API, CreateActivateOAuthClientApp). */
export const CONFIDENTIAL_APP_TEMPLATE = "CustomWebAppTemplateId";
export const DEFAULT_CLIENT_DESCRIPTION = "Confidential client for Oracle Integration; managed by Pulumi.";

export interface OicConfidentialClientArgs {
  /** Identity domain URL, `https://idcs-<32 hex>.identity.oraclecloud.com`: no path, no trailing slash. Required. */
  readonly idcsEndpoint: pulumi.Input<string>;
  /** Accept `http://` when `idcsEndpoint` or `designTimeUrl` is a loopback host (the local emulator). Default false. */
  readonly allowPlainHttpOnLoopback?: pulumi.Input<boolean>;
  /** Id (32 hex) of the OIC instance's app in the identity domain, the integration instance's `idcsInfo.idcsAppId`. Required. */
  readonly oicAppId: pulumi.Input<string>;
  /** The instance's primary audience; cross-checked with the OIC app's, and used to build an fqs the app lists without one. Default (or ""): the OIC app's own audience. */
  readonly audience?: pulumi.Input<string>;
  /** Origin of the OIC design-time host, e.g. `https://design.integration.<region>.ocp.oraclecloud.com`. Required; passed to the outputs for the access check. */
  readonly designTimeUrl: pulumi.Input<string>;
  /** Service-instance name, the `integrationInstance` query value (lower-case letters, digits, hyphens). Required. */
  readonly integrationInstance: pulumi.Input<string>;
  /** The app's display name; unique in the identity domain. Required. */
  readonly displayName: pulumi.Input<string>;
  /** The app's description. Default "Confidential client for Oracle Integration; managed by Pulumi.". */
  readonly description?: pulumi.Input<string>;
  /** OIC roles to grant, one grant each: one or more of ServiceAdministrator, ServiceDeveloper, ServiceMonitor, ServiceDeployer, ServiceUser, ServiceInvoker, ServiceViewer, ServiceEndUser. Required; a plain list, since it decides which grants exist. */
  readonly roles: string[];
  /** The OIC scopes the client may request: "consumerAll" and/or "icApi". Default both, as Oracle's recipe adds both. */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** How the client is checked after deployment: "connections", "token" or "none". Default "connections". Picks the `scope` output and must be able to pass with `roles`. */
  readonly probe?: pulumi.Input<string>;
  /** Deactivate the app just before its delete: the identity domain refuses to delete an active app and the OCI provider does not deactivate first. Default true; a plain boolean, since it decides whether that step exists. */
  readonly deactivateBeforeDelete?: boolean;
  /** The OCI API key the deactivation signs with: tenancyOcid, userOcid, fingerprint and privateKey (or privateKeyPath, privateKeyPassword), or a profile of an OCI config file (configFile, profile). Default: profile DEFAULT of ~/.oci/config. Stored as a secret. */
  readonly ociCredentials?: pulumi.Input<OciApiKeyCredentials>;
  /** PEM file of the CAs the deactivation trusts instead of the system roots (e.g. the local emulator's). Default: the system roots. */
  readonly caFile?: pulumi.Input<string>;
}

/**
 * A confidential OAuth client for one Oracle Integration instance, as Oracle's console recipe makes it: an
 * identity-domain app allowed `client_credentials` only, with the instance's fully qualified scopes, active, and
 * granted OIC roles. Children: one `DomainsApp`, a `DomainsGrant` per role, and (unless turned off) an
 * `AppDeactivation` that deactivates the app just before the provider deletes it.
 */
export class OicConfidentialClient extends pulumi.ComponentResource {
  /** The confidential app; public so that later steps (the access check, deactivate-before-delete) can depend on it. */
  public readonly app: oci.identity.DomainsApp;
  /** One grant per role, in the order of `args.roles`. */
  public readonly grants: oci.identity.DomainsGrant[];
  /** The OAuth client ID: the app's `name` (not its `id`). */
  public readonly clientId: pulumi.Output<string>;
  /** The client secret, always a secret. */
  public readonly clientSecret: pulumi.Output<string>;
  /** The app's id (32 hex): the grantee of the grants. */
  public readonly appId: pulumi.Output<string>;
  /** The app's display name in the identity domain. */
  public readonly displayName: pulumi.Output<string>;
  /** Ids of the grants, in the order of `roles`. */
  public readonly grantIds: pulumi.Output<string[]>;
  /** The granted roles. */
  public readonly roles: pulumi.Output<string[]>;
  /** `<idcsEndpoint>/oauth2/v1/token` */
  public readonly tokenUrl: pulumi.Output<string>;
  /** The fully qualified scope to request a token with: the narrowest allowed scope that serves the probe. */
  public readonly scope: pulumi.Output<string>;
  /** The fully qualified scopes in the app's `allowedScopes`. */
  public readonly allowedScopes: pulumi.Output<string[]>;
  /** The OIC app's audience (the `aud` of the client's tokens), when known. */
  public readonly audience: pulumi.Output<string | undefined>;
  /** Origin of the OIC design-time host, where the Developer API is called. */
  public readonly designTimeUrl: pulumi.Output<string>;
  /** Service-instance name, the `integrationInstance` query value. */
  public readonly integrationInstance: pulumi.Output<string>;
  /** The access-check probe: "connections", "token" or "none". */
  public readonly probe: pulumi.Output<string>;

  constructor(name: string, args: OicConfidentialClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OIC_CONFIDENTIAL_CLIENT_TYPE, name, {}, opts);
    const roles = this.checkRoles(args.roles);
    const allowPlainHttp = pulumi.output(args.allowPlainHttpOnLoopback ?? false);

    const endpoint = pulumi
      .all([args.idcsEndpoint, allowPlainHttp])
      .apply(([raw, allow]) => this.origin("idcsEndpoint", raw, allow));
    const probe = pulumi
      .output(args.probe ?? Probe.connections)
      .apply((value) => this.checkProbe(value, roles));
    const wanted = pulumi
      .output(args.scopes ?? [...ALL_OIC_SCOPE_KINDS])
      .apply((kinds) => this.checkScopeKinds(kinds));

    // The scopes the OIC app publishes are the truth for `allowedScopes` (a create with `allowed_scopes` got
    // a 400: https://github.com/oracle/terraform-provider-oci/issues/2542); attributeSets "all" so that
    // `scopes[].fqs` and `audience` come back.
    const oicApp = oci.identity.getDomainsAppOutput(
      { idcsEndpoint: endpoint, appId: args.oicAppId, attributeSets: ["all"] },
      { parent: this },
    );
    const resolved = pulumi
      .all([args.oicAppId, oicApp, wanted, args.audience])
      .apply(([oicAppId, app, kinds, expectedAudience]) =>
        this.facts(() =>
          resolveFullyQualifiedScopes({
            oicAppId,
            app: { id: app.id, audience: app.audience, scopes: app.scopes },
            wanted: kinds,
            ...(expectedAudience === undefined || expectedAudience === "" ? {} : { expectedAudience }),
          }),
        ),
      );

    const designTimeUrl = pulumi
      .all([args.designTimeUrl, allowPlainHttp])
      .apply(([raw, allow]) => this.origin("designTimeUrl", raw, allow));
    const integrationInstance = pulumi
      .output(args.integrationInstance)
      .apply((value) => this.checkServiceInstanceName(value));
    // Every argument is checked before the app is declared: a bad one must not leave a half-made client behind.
    const allowedScopes = pulumi
      .all([resolved, probe, designTimeUrl, integrationInstance])
      .apply(([scopes]) => scopes.map((scope) => ({ fqs: scope.fqs })));

    this.app = new oci.identity.DomainsApp(
      `${name}-app`,
      {
        idcsEndpoint: endpoint,
        schemas: [APP_SCHEMA],
        basedOnTemplate: { value: CONFIDENTIAL_APP_TEMPLATE, wellKnownId: CONFIDENTIAL_APP_TEMPLATE },
        displayName: pulumi.output(args.displayName).apply((value) => this.checkDisplayName(value)),
        description: args.description ?? DEFAULT_CLIENT_DESCRIPTION,
        isOauthClient: true,
        clientType: "confidential",
        allowedGrants: ["client_credentials"],
        allowedScopes,
        active: true,
        // Without it, server-populated attributes come back as a diff on every preview
        // (https://github.com/oracle/terraform-provider-oci/issues/1933, #2418, #2545).
        attributeSets: ["all"],
      },
      // The provider does not mark the secret (no additionalSecretOutputs in pulumi/pulumi-oci
      // sdk/nodejs/identity/domainsApp.ts); this keeps it encrypted in the state.
      { parent: this, additionalSecretOutputs: ["clientSecret"] },
    );

    this.grants = roles.map((role) => {
      const lookup = oci.identity.getDomainsAppRolesOutput(
        {
          idcsEndpoint: endpoint,
          appRoleFilter: pulumi.output(args.oicAppId).apply((oicAppId) => appRoleFilter(role, oicAppId)),
        },
        { parent: this },
      );
      const roleId = pulumi.all([lookup, args.oicAppId]).apply(([result, oicAppId]) =>
        this.facts(() =>
          selectAppRoleId(
            result.appRoles.map((found) => ({
              id: found.id,
              displayName: found.displayName,
              apps: found.apps,
            })),
            role,
            oicAppId,
          ),
        ),
      );
      return new oci.identity.DomainsGrant(
        `${name}-grant-${role}`,
        {
          idcsEndpoint: endpoint,
          schemas: [GRANT_SCHEMA],
          grantMechanism: "ADMINISTRATOR_TO_APP",
          grantee: { type: "App", value: this.app.id },
          app: { value: args.oicAppId },
          entitlement: { attributeName: "appRoles", attributeValue: roleId },
          attributeSets: ["all"],
        },
        // Every grant field forces a replacement (all ForceNew in terraform-provider-oci
        // internal/service/identity_domains/identity_domains_grant_resource.go) and the domain refuses a
        // second identical grant (`compositeKey` is unique: oci-go-sdk identitydomains/grant.go), so the old
        // one must go before its replacement is created.
        { parent: this, deleteBeforeReplace: true },
      );
    });

    // Its input is the app's id, so the engine creates it after the app and deletes it before the app. Not kept
    // in a field: the component's schema would then name a dynamic resource, which no other language can.
    if (args.deactivateBeforeDelete !== false) {
      new AppDeactivation(
        `${name}-deactivate-before-delete`,
        {
          idcsEndpoint: endpoint,
          appId: this.app.id,
          credentials: args.ociCredentials ?? {},
          caFile: args.caFile,
          allowPlainHttpOnLoopback: allowPlainHttp,
        },
        { parent: this },
      );
    }

    this.clientId = this.app.name;
    this.clientSecret = pulumi.secret(this.app.clientSecret);
    this.appId = this.app.id;
    this.displayName = this.app.displayName;
    this.grantIds = pulumi.all(this.grants.map((grant) => grant.id));
    this.roles = pulumi.output(roles);
    this.tokenUrl = endpoint.apply((origin) => `${origin}/oauth2/v1/token`);
    this.allowedScopes = resolved.apply((scopes) => scopes.map((scope) => scope.fqs));
    this.scope = pulumi
      .all([probe, resolved])
      .apply(([value, scopes]: [Probe, ResolvedScope[]]) => this.facts(() => tokenScope(value, scopes)));
    this.audience = pulumi
      .all([oicApp, args.audience])
      .apply(([app, given]) =>
        app.audience !== undefined && app.audience !== "" ? app.audience : given === "" ? undefined : given,
      );
    this.designTimeUrl = designTimeUrl;
    this.integrationInstance = integrationInstance;
    this.probe = probe;

    this.registerOutputs({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      appId: this.appId,
      displayName: this.displayName,
      grantIds: this.grantIds,
      roles: this.roles,
      tokenUrl: this.tokenUrl,
      scope: this.scope,
      allowedScopes: this.allowedScopes,
      audience: this.audience,
      designTimeUrl: this.designTimeUrl,
      integrationInstance: this.integrationInstance,
      probe: this.probe,
    });
  }

  /** An error that Pulumi reports against this component, without a stack trace. */
  private fail(message: string): pulumi.ResourceError {
    return new pulumi.ResourceError(message, this, true);
  }

  private facts<T>(derive: () => T): T {
    try {
      return derive();
    } catch (error) {
      if (error instanceof OicFactsError) throw this.fail(error.message);
      throw error;
    }
  }

  private checkRoles(roles: readonly string[]): string[] {
    const unknown = roles.filter((role) => !isOicRole(role));
    if (roles.length === 0 || unknown.length > 0) {
      throw this.fail(
        `roles must list one or more of ${ALL_OIC_ROLES.join(", ")}; got ${JSON.stringify(roles)}.`,
      );
    }
    const repeated = roles.filter((role, index) => roles.indexOf(role) !== index);
    if (repeated.length > 0) throw this.fail(`roles lists ${JSON.stringify(repeated)} more than once.`);
    return [...roles];
  }

  private checkProbe(value: string, roles: readonly string[]): Probe {
    const probe = ALL_PROBES.find((known) => known === value);
    if (probe === undefined)
      throw this.fail(`probe must be one of ${ALL_PROBES.join(", ")}; got "${value}".`);
    const problem = probeRoleProblem(probe, roles);
    if (problem !== undefined) throw this.fail(problem);
    return probe;
  }

  private checkScopeKinds(kinds: readonly string[]): OicScopeKind[] {
    const known = kinds.filter((kind): kind is OicScopeKind =>
      (ALL_OIC_SCOPE_KINDS as readonly string[]).includes(kind),
    );
    if (kinds.length === 0 || known.length !== kinds.length || new Set(kinds).size !== kinds.length) {
      throw this.fail(
        `scopes must list one or both of ${ALL_OIC_SCOPE_KINDS.join(", ")}, each once; got ${JSON.stringify(kinds)}.`,
      );
    }
    return known;
  }

  private origin(arg: string, raw: string, allowPlainHttpOnLoopback: boolean): string {
    const check = checkOrigin(raw, { allowPlainHttpOnLoopback, plainHttpSwitch: "allowPlainHttpOnLoopback" });
    if (check.ok) return check.origin;
    const fix = check.fix === undefined ? "" : `; ${check.fix}`;
    throw this.fail(`${arg} "${redactUserInfo(raw)}" ${check.problem}${fix}.`);
  }

  private checkDisplayName(value: string): string {
    if (value.trim() === "") throw this.fail("displayName must not be empty.");
    return value;
  }

  private checkServiceInstanceName(value: string): string {
    if (!SERVICE_INSTANCE_NAME.test(value)) {
      throw this.fail(
        `integrationInstance "${value}" is not a service-instance name (lower-case letters, digits and hyphens).`,
      );
    }
    return value;
  }
}
