/**
 * The choice between a resource hook and the dynamic resource for the deactivate-before-delete step, measured with
 * the real engine (CLI v3.248.0, the Node.js host built with direct-monitor.patch): the step written as a
 * `beforeDelete` hook (tests/engine/hookProgram/index.ts) keeps nothing in the state and reads its credentials when
 * it runs, like `AppDeactivation`; but a hook is a callback into the running program, so a plain `pulumi destroy`,
 * which runs no program, refuses to delete the resource at all, and only `pulumi destroy --run-program` deletes it
 * (https://www.pulumi.com/docs/iac/concepts/options/hooks/). The program's `AppDeactivation` works with a plain
 * `pulumi destroy` (destroyCredentials.test.ts), hence the choice (README, "Destroy").
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { expectSuccess } from "../../tools/engine/engineStack";
import { useEngine } from "./fixture";

const env = useEngine({ project: { dir: join(__dirname, "hookProgram") } });

/** Each admin write, with who signed it. */
function writes(): string[] {
  return env.emu.control
    .requests()
    .filter((request) => request.path.startsWith("/admin/v1/") && request.method !== "GET")
    .map((request) => `${request.method} ${request.path.split("/")[3] ?? ""} ${request.status}`);
}

describe("the step as a beforeDelete resource hook", () => {
  it("deploys, and signs nothing it keeps", async () => {
    await env.stack.writeConfig({ oci: env.config([]).oci, program: {} });
    for (const [key, value] of [
      ["oic-hook-variant:idcsEndpoint", env.emu.idcsUrl],
      ["oic-hook-variant:caFile", env.emu.caFile ?? ""],
    ] as const) {
      expectSuccess(await env.stack.pulumi(["config", "set", key, "--", value]), `pulumi config set ${key}`);
    }
    expectSuccess(await env.stack.up(), "pulumi up");
    expect(env.emu.control.state().apps.map((app) => app.active)).toEqual([true]);
    expect(await env.stack.exportState()).not.toContain("PRIVATE KEY");
  });

  it("cannot be run by a plain `pulumi destroy`, which then deletes nothing", async () => {
    const destroy = await env.stack.destroy();
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toContain(
      "error: Resource has delete hooks registered, but the program is not running. Hooks: deactivate-before-delete",
    );
    expect(destroy.output).toContain(
      "error: You must run with the `--run-program` flag to use delete hooks during destroy.",
    );
    expect(writes()).toEqual(["POST Apps 201"]);
    expect(env.emu.control.state().apps).toHaveLength(1);
  });

  it("deactivates the app before its delete under `pulumi destroy --run-program`", async () => {
    expectSuccess(await env.stack.destroy("--run-program"), "pulumi destroy --run-program");
    expect(writes()).toEqual(["POST Apps 201", "PUT AppStatusChanger 200", "DELETE Apps 204"]);
    expect(env.emu.control.state()).toEqual({ apps: [], grants: [] });
  });
});
