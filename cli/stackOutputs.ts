import { execFile } from "node:child_process";

import { z } from "zod";

import { clientFactsSchema } from "../components/clientFacts";
import type { VerifyInput } from "../components/verifier";

/**
 * The stack outputs `oic-verify --stack` reads (`pulumi stack output --json --show-secrets`), as index.ts
 * exports them: `clients`, per client name its `ClientFacts` (components/clientFacts.ts, the one definition of
 * that shape, which the component's `facts` output has), and `clientSecrets`, per client name its secret.
 * Other outputs are ignored.
 */
export const stackOutputsSchema = z.object({
  clients: z.record(z.string(), clientFactsSchema),
  clientSecrets: z.record(z.string(), z.string()),
});

/** The fields every client's facts must have, for the message about outputs that lack them. */
const REQUIRED_FACTS = Object.entries(clientFactsSchema.shape)
  .filter(([, field]) => !field.safeParse(undefined).success)
  .map(([key]) => key);

export type StackOutputs = z.infer<typeof stackOutputsSchema>;

export class StackOutputsError extends Error {
  override readonly name = "StackOutputsError";
}

/** Runs the Pulumi CLI for the stack's outputs (secrets shown: the client secrets are needed). */
export async function readStackOutputs(
  stack: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<StackOutputs> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      "pulumi",
      ["stack", "output", "--json", "--show-secrets", "--stack", stack],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: "utf8", env },
      (error, out, err) => {
        if (error === null) {
          resolve(out);
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          reject(
            new StackOutputsError(
              "--stack needs the pulumi CLI, which is not on PATH: install it (https://www.pulumi.com/docs/install/) or pass --token-url, --client-id, --scope, --design-time-url and --integration-instance instead",
            ),
          );
          return;
        }
        // Pulumi's own error text names the stack or the login problem; it holds no output values.
        const firstLine =
          err.split("\n").find((line) => line.trim() !== "") ?? `exit code ${String(error.code)}`;
        reject(new StackOutputsError(`pulumi stack output --stack ${stack} failed: ${firstLine.trim()}`));
      },
    );
  });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new StackOutputsError(`pulumi stack output --stack ${stack} did not print JSON`);
  }
  const parsed = stackOutputsSchema.safeParse(json);
  if (!parsed.success) {
    // Paths only: the values may be secrets.
    const where = parsed.error.issues.map((issue) => issue.path.join(".") || "(top level)");
    throw new StackOutputsError(
      `the outputs of stack ${stack} lack what oic-verify needs (${[...new Set(where)].join(", ")}); expected clients.<name>.{${REQUIRED_FACTS.join(", ")}} and clientSecrets.<name>`,
    );
  }
  return parsed.data;
}

/** One VerifyInput per client in the outputs (all, or the one named), with its secret; a --token-url flag wins. */
export function inputsFromStack(
  outputs: StackOutputs,
  only?: string,
  tokenUrlFlag?: string,
): Array<{ name: string; input: VerifyInput }> {
  const names = Object.keys(outputs.clients);
  if (only !== undefined && !names.includes(only)) {
    throw new StackOutputsError(`the stack has no client "${only}"; it has: ${names.join(", ") || "(none)"}`);
  }
  return names
    .filter((name) => only === undefined || name === only)
    .map((name) => {
      const client = outputs.clients[name];
      if (client === undefined) throw new StackOutputsError(`client ${name} vanished`);
      const clientSecret = outputs.clientSecrets[name];
      if (clientSecret === undefined) {
        throw new StackOutputsError(`the outputs give client ${name} no secret (clientSecrets.${name})`);
      }
      return {
        name,
        input: {
          tokenUrl: tokenUrlFlag ?? client.tokenUrl,
          clientId: client.clientId,
          clientSecret,
          scope: client.scope,
          designTimeUrl: client.designTimeUrl,
          integrationInstance: client.integrationInstance,
          probe: client.probe,
          roles: client.roles,
        },
      };
    });
}
