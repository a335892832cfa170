export { deactivateApp, DeactivationError, APP_STATUS_CHANGER_SCHEMA } from "./deactivateApp";
export type { DeactivateAppInput, DeactivateOutcome, RetryClock } from "./deactivateApp";
