/** The program's stack outputs as the engine gives them, read with the one definition of their shape. */
import { stackOutputsSchema, type StackOutputs } from "../../cli/stackOutputs";
import { expectSuccess, type EngineStack } from "../../tools/engine/engineStack";

/** `pulumi stack output --json --show-secrets`, parsed as `oic-verify --stack` parses it. */
export async function programOutputs(stack: EngineStack): Promise<StackOutputs> {
  return stackOutputsSchema.parse(await stack.outputs());
}

/** `pulumi stack output --json`: what a reader who may not read secrets gets (a secret shows as "[secret]"). */
export async function outputsWithoutSecrets(stack: EngineStack): Promise<Record<string, unknown>> {
  const shown = expectSuccess(
    await stack.pulumi(["stack", "output", "--json"]),
    "pulumi stack output --json",
  );
  return JSON.parse(shown.stdout) as Record<string, unknown>;
}
