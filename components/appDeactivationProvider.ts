/**
 * The dynamic provider behind `AppDeactivation`: at delete, a signed `PUT /admin/v1/AppStatusChanger/{id}` with
 * `active: false`, so that the OCI provider's delete of the app, which comes right after, is not refused
 * (https://github.com/oracle/terraform-provider-oci/issues/2507).
 *
 * It keeps no credentials. Its inputs say which provider's settings to use (the stack's default one, or an explicit
 * provider by reference, with nothing secret); the settings, the environment and the files are read when a method
 * runs, in the OCI provider's order (signing/). The stack's `oci:` keys arrive through `configure`, which the engine
 * calls with the stack config: the current one at `pulumi up`, and at a plain `pulumi destroy` the one of the last
 * `up` (kept by the engine as the inputs of the default `pulumi-nodejs` provider, as the OCI provider's are kept),
 * so both sign with the same settings; `process.env` and the files are those of the machine that runs the command.
 *
 * Methods capture only plain strings and load `identityDomain/` and `signing/` when they run (providerModules.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

import type * as identityDomainModule from "./identityDomain";
import type * as signingModule from "./signing";
import type { CredentialSources, OciProviderReference, StackConfigReader } from "./signing";
import { loadModule, moduleEntry, type ModuleEntry } from "./providerModules";

/** The plain, resolved inputs the provider sees (the public args with Inputs are in appDeactivation.ts). */
export interface AppDeactivationInputs {
  readonly idcsEndpoint: string;
  /** The app's SCIM id. */
  readonly appId: string;
  /** The explicit provider the app is managed with; absent for the stack's default provider. */
  readonly ociProvider?: OciProviderReference;
  /** A config file read instead of `~/.oci/config`, as written. */
  readonly ociConfigFile?: string;
  /** As written; resolved when the delete runs. */
  readonly caFile?: string;
  readonly allowPlainHttpOnLoopback: boolean;
  readonly retryBudgetSeconds: number;
}

/** The inputs again, as delete gets only the outputs. Nothing secret, no credentials. */
export type AppDeactivationOutputs = AppDeactivationInputs;

const IDENTITY_DOMAIN_ENTRY: ModuleEntry = moduleEntry("identityDomain");
const SIGNING_ENTRY: ModuleEntry = moduleEntry("signing");

/** Inputs whose change replaces the resource: it belongs to one app of one domain. */
const IDENTITY = ["idcsEndpoint", "appId"] as const;
const SETTINGS = [
  "ociProvider",
  "ociConfigFile",
  "caFile",
  "allowPlainHttpOnLoopback",
  "retryBudgetSeconds",
] as const;
/**
 * What earlier versions kept in the state: the API key itself (a secret output) and a description of it. A resource
 * that still has them is updated, so that the next state holds neither.
 */
const RETIRED = ["credentials", "credentialsSource"] as const;

/**
 * The engine's stand-in for a value not known yet (a preview): nothing can be checked with it. A plain string here,
 * so the serialized methods capture its value, not the SDK module.
 */
const UNKNOWN: string = unknownValue;

/** The provider object, with the stack config that `configure` received (none before it is called). */
interface DeactivationProvider extends pulumi.dynamic.ResourceProvider<
  AppDeactivationInputs,
  AppDeactivationOutputs
> {
  stackConfig?: StackConfigReader;
}

const NO_CONFIG: StackConfigReader = { get: () => undefined };

function plainOutputs(inputs: AppDeactivationInputs): AppDeactivationOutputs {
  return {
    idcsEndpoint: inputs.idcsEndpoint,
    appId: inputs.appId,
    ...(inputs.ociProvider === undefined ? {} : { ociProvider: inputs.ociProvider }),
    ...(inputs.ociConfigFile === undefined ? {} : { ociConfigFile: inputs.ociConfigFile }),
    ...(inputs.caFile === undefined ? {} : { caFile: inputs.caFile }),
    allowPlainHttpOnLoopback: inputs.allowPlainHttpOnLoopback === true,
    retryBudgetSeconds: inputs.retryBudgetSeconds,
  };
}

/** The sources the credentials are resolved from now, or why the reference cannot give them. */
function sourcesOf(
  signing: typeof signingModule,
  inputs: Pick<AppDeactivationInputs, "ociProvider" | "ociConfigFile">,
  config: StackConfigReader | undefined,
): { ok: true; sources: CredentialSources } | { ok: false; problem: string } {
  const found = signing.providerSettingsOf(inputs.ociProvider, config ?? NO_CONFIG);
  if (!found.ok) return found;
  return {
    ok: true,
    sources: {
      settings: found.settings,
      origin: found.origin,
      ...(inputs.ociConfigFile === undefined ? {} : { configFile: inputs.ociConfigFile }),
    },
  };
}

/**
 * Whether the credentials resolve now, as the delete will resolve them; the problem when they do not. Nothing is
 * sent. A value the preview does not know yet (a reference computed from another resource) is not checked.
 */
async function credentialsProblem(
  inputs: AppDeactivationInputs,
  config: StackConfigReader | undefined,
): Promise<string | undefined> {
  if (JSON.stringify([inputs.ociProvider ?? null, inputs.ociConfigFile ?? null]).includes(UNKNOWN))
    return undefined;
  const signing = loadModule<typeof signingModule>(SIGNING_ENTRY);
  const sources = sourcesOf(signing, inputs, config);
  if (!sources.ok) return sources.problem;
  const check = await signing.checkCredentialsResolvable(sources.sources);
  return check.ok ? undefined : check.message;
}

/** A problem as one sentence. */
function sentence(problem: string): string {
  return problem.endsWith(".") ? problem : `${problem}.`;
}

function refused(appId: string, problem: string): string {
  const app = appId === UNKNOWN ? "each app" : `app ${appId}`;
  return (
    `the step that deactivates ${app} before its delete could not sign now, so a destroy could not either: ` +
    `${sentence(problem)} Fix: make the credentials resolvable where the OCI provider looks, or turn the step off ` +
    "(deactivateBeforeDelete: false) and deactivate the app before destroying it."
  );
}

/**
 * - `configure`: keeps the stack config the engine hands over, for the `oci:` keys and a reference's secrets.
 * - `check`: before anything is created, at preview and at every `up` (the engine checks a resource's inputs before
 *   it creates or updates it, with `--skip-preview` too): the reference holds nothing secret and the credentials
 *   resolve with what is configured now.
 * - `create`/`update`: no network and no second resolution; they record the checked inputs.
 * - `diff`: a new app or domain replaces it (the old one then deactivates the old app before its delete); other
 *   changes update it; `__provider` is ignored, so new provider code alone causes no update (pulumi#12401).
 * - `delete`: resolve the credentials now and deactivate the app, with bounded retries of 429/5xx/timeouts; an app
 *   already gone is fine.
 */
export const appDeactivationProvider: DeactivationProvider = {
  configure(this: DeactivationProvider, request: pulumi.dynamic.ConfigureRequest) {
    this.stackConfig = request.config;
    return Promise.resolve();
  },

  async check(this: DeactivationProvider, _olds: AppDeactivationInputs, news: AppDeactivationInputs) {
    const problem = await credentialsProblem(news, this.stackConfig);
    return {
      inputs: news,
      ...(problem === undefined
        ? {}
        : {
            failures: [
              {
                property: news.ociProvider === undefined ? "" : "ociProvider",
                reason: refused(news.appId, problem),
              },
            ],
          }),
    };
  },

  create(inputs: AppDeactivationInputs) {
    return Promise.resolve({ id: `deactivate-${inputs.appId}`, outs: plainOutputs(inputs) });
  },

  update(_id: string, _olds: AppDeactivationOutputs, news: AppDeactivationInputs) {
    return Promise.resolve({ outs: plainOutputs(news) });
  },

  diff(_id: string, olds: AppDeactivationOutputs, news: AppDeactivationInputs) {
    const same = (key: keyof AppDeactivationInputs) =>
      JSON.stringify(olds[key] ?? null) === JSON.stringify(news[key] ?? null);
    const replaces = IDENTITY.filter((key) => !same(key));
    const retired = RETIRED.filter((key) => Object.hasOwn(olds, key));
    const changed = [...replaces, ...SETTINGS.filter((key) => !same(key)), ...retired];
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: false });
  },

  async delete(this: DeactivationProvider, _id: string, outs: AppDeactivationOutputs) {
    const signing = loadModule<typeof signingModule>(SIGNING_ENTRY);
    const identityDomain = loadModule<typeof identityDomainModule>(IDENTITY_DOMAIN_ENTRY);
    const sources = sourcesOf(signing, outs, this.stackConfig);
    if (!sources.ok) {
      throw new identityDomain.DeactivationError(
        `could not deactivate app ${outs.appId} before deleting it: ${sentence(sources.problem)} Fix: set it, or deactivate the app in the console and run destroy again`,
      );
    }
    await identityDomain.deactivateApp({
      idcsEndpoint: outs.idcsEndpoint,
      appId: outs.appId,
      signWith: sources.sources,
      ...(outs.caFile === undefined ? {} : { caFile: outs.caFile }),
      allowPlainHttpOnLoopback: outs.allowPlainHttpOnLoopback === true,
      retryBudgetMs: outs.retryBudgetSeconds * 1000,
    });
  },
};
