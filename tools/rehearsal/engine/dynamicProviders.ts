/**
 * Runs a dynamic resource's serialized provider (`__provider`) the way Pulumi's dynamic provider host does:
 * `require-from-string` of the text, then `handler()` (@pulumi/pulumi cmd/dynamic-provider). The same text
 * the engine would store in the state is what runs, so a provider that captured too much or cannot load its
 * modules fails here as it would under `pulumi up`.
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

const loaded = new Map<string, pulumi.dynamic.ResourceProvider>();

export function loadDynamicProvider(serialized: unknown): pulumi.dynamic.ResourceProvider {
  if (typeof serialized !== "string" || serialized === "") {
    throw new Error(`a dynamic resource without its serialized provider (${PROVIDER_KEY})`);
  }
  let provider = loaded.get(serialized);
  if (provider === undefined) {
    provider = requireFromString(serialized).handler();
    loaded.set(serialized, provider);
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
): Promise<{ id: string; state: Record<string, unknown> }> {
  const serialized = inputs[PROVIDER_KEY];
  const provider = loadDynamicProvider(serialized);
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
export async function deleteDynamic(id: string, state: Readonly<Record<string, unknown>>): Promise<void> {
  const provider = loadDynamicProvider(state[PROVIDER_KEY]);
  await provider.delete?.(id, withoutProvider(state));
}
