/**
 * Pulumi's mocks for tests that take a resource as the engine would receive it (its inputs, with the serialized
 * `__provider` of a dynamic resource): every registration is recorded, no invoke is expected, and the record is
 * emptied before each test.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach } from "vitest";

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** Installs the mocks for the calling test file; returns the live list of what was registered. */
export function recordRegistrations(): readonly Registration[] {
  const registrations: Registration[] = [];
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registrations.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs as Record<string, unknown>,
          });
          return { id: `${args.name}-id`, state: {} };
        },
        call: () => {
          throw new Error("no invokes expected");
        },
      },
      "oic-client-provisioner",
      "test",
    );
  });
  beforeEach(() => {
    registrations.length = 0;
  });
  return registrations;
}
