/**
 * Deactivates an identity-domain app through `PUT /admin/v1/AppStatusChanger/{id}`, signed as the OCI provider
 * signs, with the credentials resolved when this runs. The OCI provider deletes an active app without deactivating
 * it first and the domain refuses (https://github.com/oracle/terraform-provider-oci/issues/2507; the fix, PR #2469,
 * is unmerged), so this runs just before the app's delete. The call:
 * https://docs.oracle.com/en/cloud/paas/iam-domains-rest-api/api-apps-app-status-changer.html.
 */
import { createHttpClient, DEFAULT_TIMEOUT_MS, fullJitterDelayMs, isHttpError } from "../http";
import {
  createSignedClient,
  OciCredentialsError,
  signingProviderFor,
  type CredentialSources,
} from "../signing";

export const APP_STATUS_CHANGER_SCHEMA = "urn:ietf:params:scim:schemas:oracle:idcs:AppStatusChanger";

export interface DeactivateAppInput {
  /** Identity domain base URL, no path. */
  readonly idcsEndpoint: string;
  /** The app's SCIM `id` (not its client id). */
  readonly appId: string;
  /**
   * Where the credentials come from, all read now (signing/): the provider's settings, `TF_VAR_*`/`OCI_*`, the
   * config file and its profile, in the OCI provider's order.
   */
  readonly signWith: CredentialSources;
  /** PEM file of the CAs to trust; `~/` is the home folder and a relative path starts at the working directory. */
  readonly caFile?: string;
  readonly allowPlainHttpOnLoopback?: boolean;
  /** Per request (default `DEFAULT_TIMEOUT_MS`, 10 000, as every request of the project). */
  readonly timeoutMs?: number;
  /** Time during which 429, 5xx, resets and timeouts are retried (default 60 000; 0 = no retries). */
  readonly retryBudgetMs?: number;
}

/** `deactivated`: the domain now has it inactive; `app_gone`: nothing to deactivate (404). */
export type DeactivateOutcome = "deactivated" | "app_gone";

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

export class DeactivationError extends Error {
  override readonly name = "DeactivationError";
}

function isTransient(error: unknown): boolean {
  if (!isHttpError(error)) return false;
  if (error.code === "timeout" || error.code === "connection_reset") return true;
  return (
    error.code === "status" && error.status !== undefined && (error.status === 429 || error.status >= 500)
  );
}

function hintFor(error: unknown, signedWith: string): string {
  if (isHttpError(error) && (error.status === 401 || error.status === 403)) {
    return `the identity domain refused ${signedWith}: sign in as an identity domain administrator (as the OCI provider does)`;
  }
  return "check that the identity domain is reachable";
}

/**
 * Deactivates the app, retrying only failures that heal (429 with its Retry-After, 5xx, resets, timeouts),
 * with exponential backoff and full jitter within the budget. Throws a DeactivationError that says what to
 * do; it never carries the key, the signature or a response body.
 */
export async function deactivateApp(
  input: DeactivateAppInput,
  clock: RetryClock = realClock,
): Promise<DeactivateOutcome> {
  const retry = "deactivate it in the console and run destroy again";
  let signing: Awaited<ReturnType<typeof signingProviderFor>>;
  try {
    signing = await signingProviderFor(input.signWith);
  } catch (error) {
    if (!(error instanceof OciCredentialsError)) throw error;
    throw new DeactivationError(
      `could not deactivate app ${input.appId} before deleting it: ${error.message} Fix: configure them where the OCI provider looks (they are read when the destroy runs), or ${retry}`,
    );
  }
  const http = createHttpClient({
    caFile: input.caFile,
    allowPlainHttpOnLoopback: input.allowPlainHttpOnLoopback === true,
    timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const client = createSignedClient(http, signing.provider);
  const url = `${input.idcsEndpoint}/admin/v1/AppStatusChanger/${encodeURIComponent(input.appId)}`;
  const budgetMs = input.retryBudgetMs ?? 60_000;
  const started = clock.now();
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await client.request({
          method: "PUT",
          url,
          body: { active: false, schemas: [APP_STATUS_CHANGER_SCHEMA] },
          acceptStatus: (status) => (status >= 200 && status < 300) || status === 404,
        });
        return response.status === 404 ? "app_gone" : "deactivated";
      } catch (error) {
        const retryAfter = isHttpError(error) ? error.retryAfterMs : undefined;
        const delay =
          retryAfter ?? fullJitterDelayMs(attempt, BASE_DELAY_MS, MAX_DELAY_MS, () => clock.random());
        if (!isTransient(error) || clock.now() - started + delay > budgetMs) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new DeactivationError(
            `could not deactivate app ${input.appId} before deleting it (${attempt} attempt(s)): ${reason}. Fix: ${hintFor(error, signing.credentials.summary)}, or ${retry}`,
          );
        }
        await clock.sleep(delay);
      }
    }
  } finally {
    http.close();
  }
}
