import { existsSync, statSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
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
