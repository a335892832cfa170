/**
 * Runs a dynamic resource's serialized provider (`__provider`) the way Pulumi's dynamic provider host does:
 * `require-from-string` of the text, then `handler()`, then `configure` with the stack config, once per provider
 * text and config (@pulumi/pulumi cmd/dynamic-provider `getProvider`). The same text the engine would store in the
 * state is what runs, so a provider that captured too much or cannot load its modules fails here as it would under
 * `pulumi up`.
 */
import { createRequire } from "node:module";

import type * as pulumi from "@pulumi/pulumi";

/** `pulumi-nodejs:dynamic:Resource`, or `pulumi-nodejs:dynamic/<module>:<type>` when the resource names its type. */
export function isDynamicResourceType(type: string): boolean {
  return type === "pulumi-nodejs:dynamic:Resource" || type.startsWith("pulumi-nodejs:dynamic/");
}
export const PROVIDER_KEY = "__provider";

type RequireFromString = (code: string, filename?: string) => { handler(): pulumi.dynamic.ResourceProvider };

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const requireFromString = fromPulumi("require-from-string") as RequireFromString;

/**
 * The stack config the host hands `configure`: at `pulumi up` the stack's, at a plain `pulumi destroy` the one of
 * the last `up` (the engine keeps it as the inputs of the default `pulumi-nodejs` provider). `get` takes a full key
 * (`oci:region`) or a key of the project's namespace, as the host's `Config` does.
 */
export interface HostConfig {
  readonly project: string;
  /** Full keys to string values, secrets decrypted, as the CLI hands a stack's config over. */
  readonly values: Readonly<Record<string, string>>;
}

const loaded = new Map<string, Promise<pulumi.dynamic.ResourceProvider>>();

export function loadDynamicProvider(
  serialized: unknown,
  host: HostConfig,
): Promise<pulumi.dynamic.ResourceProvider> {
  if (typeof serialized !== "string" || serialized === "") {
    throw new Error(`a dynamic resource without its serialized provider (${PROVIDER_KEY})`);
  }
  const cacheKey = JSON.stringify([serialized, host.project, host.values]);
  let provider = loaded.get(cacheKey);
  if (provider === undefined) {
    const handler = requireFromString(serialized).handler();
    const get = (key: string): string | undefined => {
      const full = key.includes(":") ? key : `${host.project}:${key}`;
      return Object.hasOwn(host.values, full) ? host.values[full] : undefined;
    };
    const config: pulumi.dynamic.Config = {
      get,
      require(key) {
        const value = get(key);
        if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
        return value;
      },
    };
    provider = (handler.configure ? handler.configure({ config }) : Promise.resolve()).then(() => handler);
    loaded.set(cacheKey, provider);
  }
  return provider;
}

function withoutProvider(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { [PROVIDER_KEY]: _provider, ...rest } = values;
  return rest;
}

/** check (when the provider has one) then create, as the engine does for a new resource. */
export async function createDynamic(
  inputs: Readonly<Record<string, unknown>>,
  host: HostConfig,
): Promise<{ id: string; state: Record<string, unknown> }> {
  const serialized = inputs[PROVIDER_KEY];
  const provider = await loadDynamicProvider(serialized, host);
  let news = withoutProvider(inputs);
  if (provider.check) {
    const checked = await provider.check({}, news);
    if (checked.failures && checked.failures.length > 0) {
      throw new Error(checked.failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; "));
    }
    news = withoutProvider((checked.inputs as Record<string, unknown> | undefined) ?? news);
  }
  const result = await provider.create(news);
  return {
    id: result.id,
    state: { ...(result.outs as Record<string, unknown>), [PROVIDER_KEY]: serialized },
  };
}

/** The provider's delete with the resource's state, as `pulumi destroy` calls it. */
export async function deleteDynamic(
  id: string,
  state: Readonly<Record<string, unknown>>,
  host: HostConfig,
): Promise<void> {
  const provider = await loadDynamicProvider(state[PROVIDER_KEY], host);
  await provider.delete?.(id, withoutProvider(state));
}
