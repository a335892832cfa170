/**
 * The plain-HTTP loopback variant: the emulator without TLS, the program told so with
 * `identityDomain.allowPlainHttpOnLoopback`; up, access check and destroy work the same.
 */
import { describe, expect, it } from "vitest";

import { expectSuccess } from "../../tools/engine/engineStack";
import { useEngine } from "./fixture";
import { programOutputs } from "./outputs";

const env = useEngine({ emulator: { http: true } });

describe("the real engine over plain HTTP on loopback", () => {
  it("deploys, verifies and destroys a client", async () => {
    await env.stack.writeConfig(
      env.config([{ name: "reporting", roles: ["ServiceUser"], scopes: ["icApi"] }]),
    );
    expectSuccess(await env.stack.up(), "pulumi up");
    const { clients } = await programOutputs(env.stack);
    expect(clients["reporting"]?.accessCheck?.diagnosis).toBe("ok");
    expectSuccess(await env.stack.destroy(), "pulumi destroy");
    expect(env.emu.control.state()).toEqual({ apps: [], grants: [] });
  });
});
