import { existsSync, statSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { StackConfigError } from "./errors";
import { destroyCredentialsProblem } from "./ociCredentials";
import { parseStackConfig } from "./parse";
import type { StackConfig } from "./types";

/**
 * `isConfigSecret` is marked internal in the SDK's typings, but it is what `pulumi.Config` itself uses to tell a
 * secret key from a plain one, and there is no public equivalent. Without it, no value is treated as secret.
 */
interface RuntimeConfigInternals {
  readonly isConfigSecret?: (fullKey: string) => boolean;
}

function secretKeyTest(): (fullKey: string) => boolean {
  const isConfigSecret = (runtimeConfig as RuntimeConfigInternals).isConfigSecret;
  return typeof isConfigSecret === "function" ? (key) => isConfigSecret(key) : () => false;
}

function isFile(absolutePath: string): boolean {
  return existsSync(absolutePath) && statSync(absolutePath).isFile();
}

/**
 * Reads the stack's config once, at the edge of the program, before any resource is declared. Throws a
 * `StackConfigError` (a `pulumi.RunError`) that lists every problem.
 */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), {
    stack: pulumi.getStack(),
    isSecret: secretKeyTest(),
    cwd: process.cwd(),
    fileExists: isFile,
  });
}

/**
 * Resolves, before anything is declared, the credentials that the step deactivating each app before its delete
 * will resolve when a destroy runs (`destroyCredentialsProblem`): the stack's `oci:` keys as the program reads them,
 * this process's environment (that of the `pulumi` command, which the step's host inherits) and files. Rejects with
 * a `StackConfigError` that names every place looked at.
 */
export async function checkDestroyCredentials(config: StackConfig): Promise<void> {
  const problem = await destroyCredentialsProblem(pulumi.runtime.allConfig(), config.destroy, {
    cwd: process.cwd(),
  });
  if (problem !== undefined) throw new StackConfigError(config.stack, [problem]);
}
