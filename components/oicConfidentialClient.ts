import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  ALL_OIC_ROLES,
  ALL_OIC_SCOPE_KINDS,
  ALL_PROBES,
  DEFAULT_PROBE,
  DEFAULT_SCOPE_KINDS,
  DISPLAY_NAME_RULE,
  OicFactsError,
  Probe,
  REPETITION_FIX,
  SERVICE_INSTANCE_NAME_CHARACTERS,
  appRoleFilter,
  checkOrigin,
  defaultClientDescription,
  isDisplayName,
  isOicRole,
  isServiceInstanceName,
  probeRoleProblem,
  redactUserInfo,
  repetitionProblem,
  repetitions,
  resolveFullyQualifiedScopes,
  selectAppRoleId,
  tokenScope,
  type OicScopeKind,
  type ResolvedScope,
} from "./oic";
import { referenceProblems, type OciProviderReference } from "./signing";
import { accessCheckTrigger, OicAccessCheck } from "./accessCheck";
import { AppDeactivation } from "./appDeactivation";
import { DEFAULT_DEACTIVATE_BEFORE_DELETE } from "./verifier/defaults";
import { tokenUrlOf } from "./verifier/tokenEndpoint";
import type { AccessCheckFacts, ClientFacts } from "./clientFacts";

/**
 * `<package>:<module>:<Type>`. The package is the Pulumi package name, `oic-client-provisioner`, which provider.ts
 * takes from this token (`PULUMI_PACKAGE_NAME`) and serves the component under; it need not equal the npm name
 * (`@oic-client-provisioner/oic-client-provisioner`, components/package.json), and does not.
 */
export const OIC_CONFIDENTIAL_CLIENT_TYPE = "oic-client-provisioner:index:OicConfidentialClient";

export const APP_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:App";
export const GRANT_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:Grant";
/** Confidential and trusted clients are based on this template (Identity Domains API, CreateActivateOAuthClientApp). */
export const CONFIDENTIAL_APP_TEMPLATE = "CustomWebAppTemplateId";
/** A resource of the OCI package: the token the component asks its explicit OCI provider for. */
const OCI_APP_TOKEN = "oci:identity/domainsApp:DomainsApp";

export interface OicConfidentialClientArgs {
  /** Identity domain URL, `https://idcs-<32 hex>.identity.oraclecloud.com`: no path, no trailing slash. Required. */
  readonly idcsEndpoint: pulumi.Input<string>;
  /** Accept `http://` when `idcsEndpoint` or `designTimeUrl` is a loopback host (the local emulator), for the deployment, the access check and the deactivation. Default false. */
  readonly allowPlainHttpOnLoopback?: pulumi.Input<boolean>;
  /** Id (32 hex) of the OIC instance's app in the identity domain, the integration instance's `idcsInfo.idcsAppId`. Required. */
  readonly oicAppId: pulumi.Input<string>;
  /** The instance's primary audience; cross-checked with the OIC app's, and used to build an fqs the app lists without one. Default (or ""): the OIC app's own audience. */
  readonly audience?: pulumi.Input<string>;
  /** Origin of the OIC design-time host, e.g. `https://design.integration.<region>.ocp.oraclecloud.com`, where the access check calls the Developer API. Required. */
  readonly designTimeUrl: pulumi.Input<string>;
  /** Service-instance name, the `integrationInstance` query value (lower-case letters, digits, hyphens). Required. */
  readonly integrationInstance: pulumi.Input<string>;
  /** The app's display name; unique in the identity domain. Required. */
  readonly displayName: pulumi.Input<string>;
  /** The app's description. Default `Confidential client "<name>" for Oracle Integration; managed by Pulumi (oic-client-provisioner).`, <name> being this component's name. */
  readonly description?: pulumi.Input<string>;
  /** OIC roles to grant, one grant each: one or more of ServiceAdministrator, ServiceDeveloper, ServiceMonitor, ServiceDeployer, ServiceUser, ServiceInvoker, ServiceViewer, ServiceEndUser. Required; a plain list, since it decides which grants exist. */
  readonly roles: string[];
  /** The OIC scopes the client may request: "consumerAll" and/or "icApi". Default both, as Oracle's recipe adds both. */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** How the client is checked after its grants: "connections" (a token, then the Developer API's connections), "token" or "none" (no check). Default "connections". Picks the token scope and must be able to pass with `roles`; a plain string, since it decides whether the check exists. */
  readonly probe?: string;
  /** Seconds the access check may keep retrying failures that heal (role propagation, 429, 5xx, timeouts). Default 120; 0 = no retries. */
  readonly retryBudgetSeconds?: pulumi.Input<number>;
  /** Re-run the access check on every `pulumi up`, not only when the app, its grants or its scopes change. Default false. */
  readonly verifyOnEveryUp?: pulumi.Input<boolean>;
  /** At most this many access checks run at once, across every client given the same value; a failing check holds up no other. Default 4. */
  readonly concurrency?: pulumi.Input<number>;
  /** Deactivate the app just before its delete: the identity domain refuses to delete an active app and the OCI provider does not deactivate first. Default true; a plain boolean, since it decides whether that step exists. */
  readonly deactivateBeforeDelete?: boolean;
  /** The explicit OCI provider this client is given (`provider` or `providers.oci`), so that the deactivation signs as it does: its name, its settings that are not secret, and the stack config keys of its private key and passphrase (privateKeyConfigKey, privateKeyPasswordConfigKey), read when the deactivation runs. Required with an explicit OCI provider; default: the stack's default provider (its `oci:` config, then `TF_VAR_*`/`OCI_*`, then ~/.oci/config). */
  readonly ociProvider?: pulumi.Input<OciProviderReference>;
  /** An OCI config file the deactivation reads instead of ~/.oci/config, as written (`~/`, or relative to the program's directory) and read when it runs. Default: the OCI provider's (~/.oci/config, or $OCI_CONFIG_FILE when that does not exist). */
  readonly ociConfigFile?: pulumi.Input<string>;
  /** PEM file of the CAs the access check and the deactivation trust instead of the system roots (e.g. the local emulator's). Default: the system roots. */
  readonly caFile?: pulumi.Input<string>;
}

/**
 * A confidential OAuth client for one Oracle Integration instance, as Oracle's console recipe makes it: an
 * identity-domain app allowed `client_credentials` only, with the instance's fully qualified scopes, active, and
 * granted OIC roles. Children: one `DomainsApp`, a `DomainsGrant` per role, an `OicAccessCheck` after the grants
 * that proves the client works (unless the probe is `none`), and (unless turned off) an `AppDeactivation` that
 * deactivates the app just before the provider deletes it.
 */
export class OicConfidentialClient extends pulumi.ComponentResource {
  /** The confidential app; public so that other resources can depend on it. */
  public readonly app: oci.identity.DomainsApp;
  /** One grant per role, in the order of `args.roles`. */
  public readonly grants: oci.identity.DomainsGrant[];
  /** Everything a consumer needs to get a token and call OIC, and what the access check found; nothing secret. */
  public readonly facts: pulumi.Output<ClientFacts>;
  /** The client secret, always a secret. */
  public readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: OicConfidentialClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OIC_CONFIDENTIAL_CLIENT_TYPE, name, {}, opts);
    const roles = this.checkRoles(args.roles);
    const deactivates = args.deactivateBeforeDelete ?? DEFAULT_DEACTIVATE_BEFORE_DELETE;
    const probe = this.checkProbe(args.probe ?? DEFAULT_PROBE, roles);
    const allowPlainHttp = pulumi.output(args.allowPlainHttpOnLoopback ?? false);

    const endpoint = pulumi
      .all([args.idcsEndpoint, allowPlainHttp])
      .apply(([raw, allow]) => this.origin("idcsEndpoint", raw, allow));
    const wanted = pulumi
      .output(args.scopes ?? [...DEFAULT_SCOPE_KINDS])
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
        this.derive(() =>
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
    const ociProvider = this.checkOciProvider(args.ociProvider, deactivates);
    // Every argument is checked before the app is declared: a bad one must not leave a half-made client behind.
    const allowedScopes = pulumi
      .all([resolved, designTimeUrl, integrationInstance, ociProvider ?? pulumi.output(undefined)])
      .apply(([scopes]) => scopes.map((scope) => ({ fqs: scope.fqs })));

    this.app = new oci.identity.DomainsApp(
      `${name}-app`,
      {
        idcsEndpoint: endpoint,
        schemas: [APP_SCHEMA],
        basedOnTemplate: { value: CONFIDENTIAL_APP_TEMPLATE, wellKnownId: CONFIDENTIAL_APP_TEMPLATE },
        displayName: pulumi.output(args.displayName).apply((value) => this.checkDisplayName(value)),
        description: args.description ?? defaultClientDescription(name),
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
        this.derive(() =>
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
    // in a field: the component's schema would then name a dynamic resource, which no other language can. It
    // signs as the provider that manages the app: the stack's default one, or the explicit one by reference.
    if (deactivates) {
      new AppDeactivation(
        `${name}-deactivate-before-delete`,
        {
          idcsEndpoint: endpoint,
          appId: this.app.id,
          ociProvider,
          ociConfigFile: args.ociConfigFile,
          caFile: args.caFile,
          allowPlainHttpOnLoopback: allowPlainHttp,
        },
        { parent: this },
      );
    }

    const clientId = this.app.name;
    this.clientSecret = pulumi.secret(this.app.clientSecret);
    const grantIds = pulumi.all(this.grants.map((grant) => grant.id));
    const tokenUrl = endpoint.apply(tokenUrlOf);
    const fullyQualified = resolved.apply((scopes) => scopes.map((scope) => scope.fqs));
    const scope = resolved.apply((scopes: ResolvedScope[]) => this.derive(() => tokenScope(probe, scopes)));
    const audience = pulumi
      .all([oicApp, args.audience])
      .apply(([app, given]) =>
        app.audience !== undefined && app.audience !== "" ? app.audience : given === "" ? undefined : given,
      );

    // After every grant, since a role granted later would fail the check. Only its own grants: no check waits
    // for another client's, so one that fails holds up no other (the provider bounds how many run at once).
    const check =
      probe === Probe.none
        ? undefined
        : new OicAccessCheck(
            `${name}-access-check`,
            {
              tokenUrl,
              clientId,
              clientSecret: this.clientSecret,
              scope,
              designTimeUrl,
              integrationInstance,
              probe,
              roles,
              retryBudgetSeconds: args.retryBudgetSeconds,
              caFile: args.caFile,
              allowPlainHttpOnLoopback: allowPlainHttp,
              concurrency: args.concurrency,
              verifyOnEveryUp: args.verifyOnEveryUp,
              trigger: accessCheckTrigger([
                this.app.id,
                grantIds.apply((ids) => ids.join(",")),
                fullyQualified.apply((all) => all.join(" ")),
              ]),
            },
            { parent: this, dependsOn: this.grants },
          );
    const found: pulumi.Output<AccessCheckFacts | undefined> =
      check === undefined
        ? pulumi.output(undefined)
        : pulumi
            .all([
              check.diagnosis,
              check.httpStatus,
              check.connections,
              check.tokenExpiresAt,
              check.checkedAt,
            ])
            .apply(([diagnosis, httpStatus, connections, tokenExpiresAt, checkedAt]) => ({
              diagnosis,
              ...(httpStatus === null ? {} : { httpStatus }),
              ...(connections === null ? {} : { connections }),
              ...(tokenExpiresAt === null ? {} : { tokenExpiresAt }),
              checkedAt,
            }));

    this.facts = pulumi
      .output({
        displayName: this.app.displayName,
        clientId,
        appId: this.app.id,
        tokenUrl,
        scope,
        allowedScopes: fullyQualified,
        audience,
        grantIds,
        designTimeUrl,
        integrationInstance,
        accessCheck: found,
      })
      .apply((known): ClientFacts => ({
        displayName: known.displayName,
        clientId: known.clientId,
        appId: known.appId,
        tokenUrl: known.tokenUrl,
        scope: known.scope,
        allowedScopes: known.allowedScopes,
        ...(known.audience === undefined ? {} : { audience: known.audience }),
        roles: [...roles],
        probe,
        grantIds: known.grantIds,
        designTimeUrl: known.designTimeUrl,
        integrationInstance: known.integrationInstance,
        ...(known.accessCheck === undefined ? {} : { accessCheck: known.accessCheck }),
      }));

    this.registerOutputs({ facts: this.facts, clientSecret: this.clientSecret });
  }

  /**
   * An error that Pulumi reports against this component, without a stack trace. Its stack is its first line only:
   * `@pulumi/pulumi`'s program runner still formats every uncaught error with `util.inspect(err, { colors: true })`
   * for a tracing event, and on Node.js 20.20.2 (nodejs/node#64011) that loops for about 20 s, then throws, on the
   * frame `node_modules/@pulumi/output.ts:…` that source maps give a throw inside `apply` (docs/engine.md).
   */
  private fail(message: string): pulumi.ResourceError {
    const error = new pulumi.ResourceError(message, this, true);
    error.stack = `ResourceError: ${message}`;
    return error;
  }

  private derive<T>(derive: () => T): T {
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
    this.checkOnce("roles", roles);
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
    if (kinds.length === 0 || known.length !== kinds.length) {
      throw this.fail(
        `scopes must list one or both of ${ALL_OIC_SCOPE_KINDS.join(", ")}; got ${JSON.stringify(kinds)}.`,
      );
    }
    this.checkOnce("scopes", kinds);
    return known;
  }

  /** Each entry once (the owner's rule and wording, `repetitions`), e.g. `roles[2] "ServiceUser" is listed twice …`. */
  private checkOnce(arg: string, values: readonly string[]): void {
    const problems = repetitions(values).map(
      (repetition) =>
        `${arg}[${repetition.index}] ${repetitionProblem(JSON.stringify(values[repetition.index]), repetition)}`,
    );
    if (problems.length > 0) throw this.fail(`${problems.join("; ")}: ${REPETITION_FIX}.`);
  }

  private origin(arg: string, raw: string, allowPlainHttpOnLoopback: boolean): string {
    const check = checkOrigin(raw, { allowPlainHttpOnLoopback, plainHttpSwitch: "allowPlainHttpOnLoopback" });
    if (check.ok) return check.origin;
    const fix = check.fix === undefined ? "" : `; ${check.fix}`;
    throw this.fail(`${arg} "${redactUserInfo(raw)}" ${check.problem}${fix}.`);
  }

  /**
   * The deactivation must sign as the provider that manages the app does: with an explicit OCI provider (given to
   * this component or inherited from its parent) it needs that provider's reference, named as the provider is;
   * without one, a reference would sign with other credentials than the app's provider. The reference carries
   * nothing secret (referenceProblems).
   */
  private checkOciProvider(
    reference: pulumi.Input<OciProviderReference> | undefined,
    deactivates: boolean,
  ): pulumi.Output<OciProviderReference> | undefined {
    const explicit = this.getProvider(OCI_APP_TOKEN);
    if (!deactivates) return undefined;
    if (explicit === undefined) {
      if (reference !== undefined) {
        throw this.fail(
          "ociProvider names an explicit OCI provider, but this client is given none (provider or providers.oci): its app is managed with the stack's default provider, so leave ociProvider out.",
        );
      }
      return undefined;
    }
    if (reference === undefined) {
      throw this.fail(
        "this client's app is managed with an explicit OCI provider, so the step that deactivates it before its delete must sign as that provider does: pass ociProvider with the provider's name and settings that are not secret (the stack config keys of its private key and passphrase in privateKeyConfigKey, privateKeyPasswordConfigKey), or set deactivateBeforeDelete to false.",
      );
    }
    return pulumi
      .all([pulumi.output(reference), explicit.urn])
      .apply(([given, urn]): OciProviderReference => {
        const problems = referenceProblems(given);
        if (problems.length > 0) throw this.fail(`ociProvider: ${problems.join("; ")}.`);
        const name = urn.slice(urn.lastIndexOf("::") + 2);
        if (given.name !== name) {
          throw this.fail(
            `ociProvider names the OCI provider ${JSON.stringify(given.name)}, but this client's provider is ${JSON.stringify(name)}: give that provider's name and settings.`,
          );
        }
        return given;
      });
  }

  private checkDisplayName(value: string): string {
    if (!isDisplayName(value)) {
      throw this.fail(`displayName "${value}" is not a valid display name: use ${DISPLAY_NAME_RULE}.`);
    }
    return value;
  }

  private checkServiceInstanceName(value: string): string {
    if (!isServiceInstanceName(value)) {
      throw this.fail(
        `integrationInstance "${value}" is not a service-instance name (${SERVICE_INSTANCE_NAME_CHARACTERS}).`,
      );
    }
    return value;
  }
}
