/**
 * How patient a check is when nobody says otherwise. The stack config, the access check's arguments and
 * `oic-verify` all start from these; a module of its own, with no import that loads the HTTP client.
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
