/**
 * The defaults when nobody says otherwise: how patient a check is, and whether an app is deactivated before its
 * delete. The stack config, the component and `oic-verify` all start from these; a module of its own, with no
 * import that loads the HTTP client.
 */
import { DEFAULT_TIMEOUT_MS } from "../http/limits";

/** How long a check keeps retrying failures that can heal (propagation, 429, 5xx, timeouts). */
export const DEFAULT_RETRY_BUDGET_SECONDS = 120;

/** Each request's timeout, in the seconds the access check and `oic-verify --timeout` take. */
export const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;

/**
 * How many access checks run at once during a deployment: few, since each is a resource the engine waits on while
 * the rest of the stack deploys (`oic-verify` checks a stack's clients more at once, `DEFAULT_CONCURRENCY`).
 */
export const DEFAULT_DEPLOYMENT_CONCURRENCY = 4;

/**
 * Whether a client's app is deactivated just before its delete: on, since the identity domain refuses to delete an
 * active app and the OCI provider does not deactivate first (components/identityDomain/deactivateApp.ts).
 */
export const DEFAULT_DEACTIVATE_BEFORE_DELETE = true;
