/**
 * The code under test on each route, called as the program calls it: the verifier (the access check of
 * `OicAccessCheck` and `oic-verify`) on the token endpoint and the Developer API, the rehearsal's OCI provider on
 * the SCIM and control-plane routes, the `AppDeactivation` step's `deactivateApp` on `AppStatusChanger`. Each
 * takes the virtual clock and short budgets, and reports what a user would read: the diagnosis or the error.
 */
import { inspect } from "node:util";

import { createHttpClient } from "../../components/http";
import { deactivateApp } from "../../components/identityDomain";
import { verifyClient, type VerifyInput, type VerifyResult } from "../../components/verifier";
import type { RetryPolicy } from "../../components/verifier/retry";
import { type VirtualClock } from "./clock";
import { grantInputs, providerUnderTest, tappedHttp, type Known, type MadeClient, type World } from "./world";

/** The short budgets of the matrix: every failure that can heal gets a few attempts, in virtual time. */
export const VERIFIER_RETRY: Partial<RetryPolicy> = {
  budgetMs: 10_000,
  propagationWindowMs: 5_000,
  maxAttempts: 3,
};
export const PROVIDER_BUDGETS = { maxAttempts: 3 } as const;
export const DEACTIVATION_BUDGET_MS = 3_000;

export interface Observed {
  /** `ok`, a diagnosis, or `error` for a thrown error. */
  readonly outcome: string;
  /** What the user reads: the diagnosis's message, or the error's message. */
  readonly message: string;
  /** Attempts the code under test says it made (`attempts`, `(after n attempts)`, `(n attempt(s))`), if it says. */
  readonly reported?: number;
  /** Every text the call produced, for the leak scan: messages, hints, results, errors with their stacks. */
  readonly emitted: string[];
  /** The verifier's token requests, when it ran. */
  readonly tokenRequests?: number;
  /** Resources the state now knows because the call created them. */
  readonly created?: Known[];
}

function fromError(error: unknown, reported: (message: string) => number | undefined): Observed {
  const message = error instanceof Error ? error.message : String(error);
  return {
    outcome: "error",
    message,
    reported: reported(message),
    emitted: [message, error instanceof Error ? (error.stack ?? "") : "", inspect(error, { depth: 5 })],
  };
}

const afterAttempts = (message: string): number =>
  Number(/\(after (\d+) attempts\)$/.exec(message)?.[1] ?? 1);
const deactivationAttempts = (message: string): number =>
  Number(/\((\d+) attempt\(s\)\)/.exec(message)?.[1] ?? 0);

export interface VerifierCall {
  readonly input: VerifyInput;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
}

/** verifyClient with the virtual clock, over a fresh connection pool. */
export async function runVerifier(world: World, clock: VirtualClock, call: VerifierCall): Promise<Observed> {
  const http = tappedHttp(
    createHttpClient({
      caFile: world.caFile,
      ...(call.timeoutMs === undefined ? {} : { timeoutMs: call.timeoutMs }),
    }),
    world.scanner,
  );
  let result: VerifyResult;
  try {
    result = await verifyClient(call.input, {
      http,
      retry: call.retry ?? VERIFIER_RETRY,
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms),
      random: () => clock.random(),
    });
  } catch (error) {
    return fromError(error, () => undefined);
  } finally {
    http.close();
  }
  return {
    outcome: result.diagnosis,
    message: result.message,
    reported: result.attempts,
    tokenRequests: result.tokenRequests,
    emitted: [result.message, result.hint, JSON.stringify(result)],
  };
}

/** The standard verifier input for a client of the first instance. */
export function verifierInput(
  world: World,
  client: MadeClient,
  overrides: Partial<VerifyInput> = {},
): VerifyInput {
  return {
    tokenUrl: `${world.emu.idcsUrl}/oauth2/v1/token`,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    scope: world.emu.scopes.icApi,
    designTimeUrl: world.emu.designTimeUrl,
    integrationInstance: world.emu.integrationInstance,
    probe: "connections",
    roles: ["ServiceUser"],
    ...overrides,
  };
}

/** The provider's calls, one per route, as the program's registrations and data sources make them. */
export type ProviderRoute =
  "instance" | "oicApp" | "appRoles" | "createApp" | "createGrant" | "deleteGrant" | "deleteApp";

export interface ProviderTarget {
  readonly route: ProviderRoute;
  /** The client the call is about (createGrant, deleteGrant, deleteApp). */
  readonly client?: MadeClient;
  /** The app inputs for createApp. */
  readonly app?: Record<string, unknown>;
}

export async function runProvider(
  world: World,
  clock: VirtualClock,
  target: ProviderTarget,
  timeoutMs: number | undefined,
): Promise<Observed> {
  const { provider, close } = await providerUnderTest(world, clock, PROVIDER_BUDGETS, timeoutMs);
  const { emu } = world;
  // A success shows the user nothing: the resource's state goes to the engine, which keeps its secret encrypted.
  const ok = (created: Known[] = []): Observed => ({ outcome: "ok", message: "ok", created, emitted: [] });
  try {
    switch (target.route) {
      case "instance":
        await provider.getIntegrationInstance({ integrationInstanceId: emu.integrationInstanceId });
        return ok();
      case "oicApp":
        await provider.getApp({ idcsEndpoint: emu.idcsUrl, appId: emu.oicAppId, attributeSets: ["all"] });
        return ok();
      case "appRoles":
        await provider.getAppRoles({
          idcsEndpoint: emu.idcsUrl,
          appRoleFilter: `displayName eq "ServiceUser" and app.value eq "${emu.oicAppId}"`,
        });
        return ok();
      case "createApp": {
        const app = await provider.createApp(target.app ?? {});
        world.scanner.addSecret("client secret", String(app.state["clientSecret"]));
        return ok([{ type: "app", id: app.id, state: app.state }]);
      }
      case "createGrant": {
        const appId = target.client?.appId ?? "";
        const grant = await provider.createGrant(grantInputs(world, appId, "ServiceUser"));
        return ok([{ type: "grant", id: grant.id, state: grant.state }]);
      }
      case "deleteGrant": {
        const grant = target.client?.known.find((k) => k.type === "grant");
        await provider.deleteGrant(grant?.id ?? "", grant?.state ?? {});
        return ok();
      }
      case "deleteApp": {
        const app = target.client?.known.find((k) => k.type === "app");
        await provider.deleteApp(app?.id ?? "", app?.state ?? {});
        return ok();
      }
    }
  } catch (error) {
    return fromError(error, afterAttempts);
  } finally {
    close();
  }
}

/** The AppDeactivation step's delete: `PUT /admin/v1/AppStatusChanger/{id}` with its own retries. */
export async function runDeactivation(
  world: World,
  clock: VirtualClock,
  client: MadeClient,
  timeoutMs: number | undefined,
): Promise<Observed> {
  try {
    const outcome = await deactivateApp(
      {
        idcsEndpoint: world.emu.idcsUrl,
        appId: client.appId,
        signWith: { settings: world.key.credentials, env: {} },
        caFile: world.caFile,
        retryBudgetMs: DEACTIVATION_BUDGET_MS,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      },
      clock,
    );
    return { outcome: "ok", message: outcome, emitted: [outcome] };
  } catch (error) {
    return fromError(error, deactivationAttempts);
  }
}
