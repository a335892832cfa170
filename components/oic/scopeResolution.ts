import { sameAudience } from "./audience";
import { OicFactsError } from "./errors";
import { Probe, probeScopeKind } from "./probes";
import { fullyQualifiedScope, OicScope, type OicScopeKind } from "./scopes";

/**
 * One scope as the OIC app publishes it. pulumi-oci's `getDomainsApp` result has it as `scopes[]`
 * (`Identity.GetDomainsAppScope`): `value` is the bare scope, `fqs` the fully qualified one.
 */
export interface PublishedScope {
  readonly value?: string;
  readonly fqs?: string;
}

/** The part of the OIC app (read with `attributeSets: ["all"]`) that scope resolution reads. */
export interface OicAppScopes {
  /** Empty when the identity domain has no such app: the provider's answer then is an empty result. */
  readonly id?: string;
  readonly audience?: string;
  readonly scopes?: readonly PublishedScope[];
}

export interface ResolvedScope {
  readonly kind: OicScopeKind;
  /** The bare value, e.g. `/ic/api/`. */
  readonly value: string;
  /** The fully qualified scope that goes in `allowedScopes` and in the token request. */
  readonly fqs: string;
}

export interface ResolveScopesInput {
  /** Id of the OIC app, for the messages. */
  readonly oicAppId: string;
  readonly app: OicAppScopes;
  /** The scope kinds the client wants, in the order they should appear in `allowedScopes`. */
  readonly wanted: readonly OicScopeKind[];
  /** The instance's primary audience, when known: cross-checked with the app's, and the fallback to build fqs. */
  readonly expectedAudience?: string;
}

function describePublished(scopes: readonly PublishedScope[]): string {
  const values = scopes.map((scope) => scope.value ?? scope.fqs).filter((v): v is string => !!v);
  return values.length === 0 ? "no scopes" : values.map((value) => `"${value}"`).join(", ");
}

/**
 * The fully qualified scopes of the wanted kinds, taken from what the OIC app publishes (`scopes[].fqs`), or
 * built as audience + value (no separator) when the app lists a scope without its fqs. A wanted scope that the app
 * does not publish is an error: the identity domain would refuse it in `allowedScopes` (a create with
 * `allowed_scopes` got a 400: https://github.com/oracle/terraform-provider-oci/issues/2542).
 */
export function resolveFullyQualifiedScopes(input: ResolveScopesInput): ResolvedScope[] {
  const { oicAppId, app, wanted, expectedAudience } = input;
  if (app.id !== undefined && app.id.trim() === "") {
    // A missing app reaches the program as an empty result, not an error (terraform-provider-oci
    // internal/tfresource/errors.go handleMissingResourceError swallows the 404).
    throw new OicFactsError([
      `The identity domain has no app ${oicAppId}: check that the OIC app id (the instance's ` +
        `idcsInfos[0].idcsAppId, 32 hex, under Oracle Cloud Services) belongs to this identity domain.`,
    ]);
  }
  const published = app.scopes ?? [];
  const problems: string[] = [];
  const appAudience = app.audience === undefined || app.audience.trim() === "" ? undefined : app.audience;

  if (
    appAudience !== undefined &&
    expectedAudience !== undefined &&
    !sameAudience(appAudience, expectedAudience)
  ) {
    problems.push(
      `The OIC app ${oicAppId} publishes the audience "${appAudience}", but the integration instance's primary ` +
        `audience is "${expectedAudience}". Fully qualified scopes must match the instance's primary audience: ` +
        `check that ${oicAppId} is this instance's app (idcsInfos[0].idcsAppId), or correct the audience.`,
    );
  }

  const resolved: ResolvedScope[] = [];
  for (const kind of wanted) {
    const value = OicScope[kind];
    const audience = appAudience ?? expectedAudience;
    const candidate = audience === undefined ? undefined : fullyQualifiedScope(audience, value);
    const entry =
      published.find((scope) => scope.value === value) ??
      (candidate === undefined ? undefined : published.find((scope) => scope.fqs === candidate));
    if (entry === undefined) {
      problems.push(
        `The OIC app ${oicAppId} does not publish the scope "${value}" (${kind}); it publishes ${describePublished(published)}. ` +
          `Check that ${oicAppId} is the integration instance's app, or remove "${kind}" from the client's scopes.`,
      );
      continue;
    }
    const fqs = entry.fqs !== undefined && entry.fqs !== "" ? entry.fqs : candidate;
    if (fqs === undefined) {
      problems.push(
        `The OIC app ${oicAppId} publishes the scope "${value}" without its fully qualified form (fqs), and no ` +
          `audience is known to build it. Provide the instance's primary audience.`,
      );
      continue;
    }
    resolved.push({ kind, value, fqs });
  }
  if (problems.length > 0) throw new OicFactsError(problems);
  return resolved;
}

/**
 * The scope a client asks a token for: the narrowest of its scopes that serves its probe (`/ic/api/` for the
 * connections check, `consumer::all` otherwise, since an invoke-only client calls integration endpoints).
 * A client without a probe gets the scope it would use to call integrations.
 */
export function tokenScope(probe: Probe, resolved: readonly ResolvedScope[]): string {
  const purpose = probe === Probe.none ? Probe.token : probe;
  const kind = probeScopeKind(
    purpose,
    resolved.map((scope) => scope.kind),
  );
  const chosen = resolved.find((scope) => scope.kind === kind);
  if (chosen === undefined) {
    throw new OicFactsError([`A client needs at least one scope to request a token; it has none.`]);
  }
  return chosen.fqs;
}
