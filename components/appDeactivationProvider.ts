/**
 * The dynamic provider behind `AppDeactivation`: nothing at create but a check that the API key can sign, and
 * at delete a signed `PUT /admin/v1/AppStatusChanger/{id}` with `active: false`, so that the OCI provider's
 * delete of the app, which comes right after, is not refused
 * (https://github.com/oracle/terraform-provider-oci/issues/2507).
 * Methods capture only plain strings and load `identityDomain/` and `signing/` when they run (providerModules.ts);
 * the API key arrives as an input, is kept only as a secret output, and is never captured.
 */
import type * as pulumi from "@pulumi/pulumi";

import type * as identityDomainModule from "./identityDomain";
import type * as signingModule from "./signing";
import type { OciApiKeyCredentials } from "./signing";
import { loadModule, moduleEntry, type ModuleEntry } from "./providerModules";

/** The plain, resolved inputs the provider sees (the public args with Inputs are in appDeactivation.ts). */
export interface AppDeactivationInputs {
  readonly idcsEndpoint: string;
  /** The app's SCIM id. */
  readonly appId: string;
  /** Arrives unwrapped in the provider process; kept only in the state's encrypted outputs. */
  readonly credentials: OciApiKeyCredentials;
  readonly caFile?: string;
  readonly allowPlainHttpOnLoopback: boolean;
  readonly retryBudgetSeconds: number;
}

/** The inputs again (delete gets only the outputs), plus where the key comes from, without any secret. */
export interface AppDeactivationOutputs extends AppDeactivationInputs {
  readonly credentialsSource: string;
}

const IDENTITY_DOMAIN_ENTRY: ModuleEntry = moduleEntry("identityDomain");
const SIGNING_ENTRY: ModuleEntry = moduleEntry("signing");

/** Inputs whose change replaces the resource: it belongs to one app of one domain. */
const IDENTITY = ["idcsEndpoint", "appId"] as const;
const SETTINGS = ["credentials", "caFile", "allowPlainHttpOnLoopback", "retryBudgetSeconds"] as const;

/** Fails the deployment now, rather than the destroy later, when the key cannot be read or parsed. */
async function checkedOutputs(inputs: AppDeactivationInputs): Promise<AppDeactivationOutputs> {
  const signing = loadModule<typeof signingModule>(SIGNING_ENTRY);
  await signing.checkSigningKey(inputs.credentials);
  return {
    idcsEndpoint: inputs.idcsEndpoint,
    appId: inputs.appId,
    credentials: inputs.credentials,
    ...(inputs.caFile === undefined ? {} : { caFile: inputs.caFile }),
    allowPlainHttpOnLoopback: inputs.allowPlainHttpOnLoopback === true,
    retryBudgetSeconds: inputs.retryBudgetSeconds,
    credentialsSource: signing.describeCredentials(inputs.credentials),
  };
}

/**
 * - `create`/`update`: no network; prove the API key loads and parses, so a destroy will be able to sign.
 * - `diff`: a new app or domain replaces it (the old one then deactivates the old app before its delete); other
 *   changes update it; `__provider` is ignored, so new provider code alone causes no update (pulumi#12401).
 * - `delete`: deactivate the app, with bounded retries of 429/5xx/timeouts; an app already gone is fine.
 */
export const appDeactivationProvider: pulumi.dynamic.ResourceProvider<
  AppDeactivationInputs,
  AppDeactivationOutputs
> = {
  async create(inputs: AppDeactivationInputs) {
    return { id: `deactivate-${inputs.appId}`, outs: await checkedOutputs(inputs) };
  },

  async update(_id: string, _olds: AppDeactivationOutputs, news: AppDeactivationInputs) {
    return { outs: await checkedOutputs(news) };
  },

  diff(_id: string, olds: AppDeactivationOutputs, news: AppDeactivationInputs) {
    const same = (key: keyof AppDeactivationInputs) =>
      JSON.stringify(olds[key] ?? null) === JSON.stringify(news[key] ?? null);
    const replaces = IDENTITY.filter((key) => !same(key));
    const changed = [...replaces, ...SETTINGS.filter((key) => !same(key))];
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: false });
  },

  async delete(_id: string, outs: AppDeactivationOutputs) {
    const identityDomain = loadModule<typeof identityDomainModule>(IDENTITY_DOMAIN_ENTRY);
    await identityDomain.deactivateApp({
      idcsEndpoint: outs.idcsEndpoint,
      appId: outs.appId,
      credentials: outs.credentials,
      ...(outs.caFile === undefined ? {} : { caFile: outs.caFile }),
      allowPlainHttpOnLoopback: outs.allowPlainHttpOnLoopback === true,
      retryBudgetMs: outs.retryBudgetSeconds * 1000,
    });
  },
};
