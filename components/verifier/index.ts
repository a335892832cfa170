export { verifyClient, verifyClients, DEFAULT_CONCURRENCY } from "./verify";
export type { VerifyResult, VerifyProgress, VerifyOptions, VerifyManyOptions } from "./verify";
export { parseVerifyInput, VerifierInputError } from "./input";
export { TOKEN_PATH, tokenUrlOf } from "./tokenEndpoint";
export type { VerifyInput, ParsedVerifyInput } from "./input";
export { Diagnosis, ALL_DIAGNOSES, DiagnosisClass, DIAGNOSIS_CLASS, isDiagnosis } from "./diagnosis";
export { DEFAULT_RETRY_POLICY, decideRetry, backoffDelayMs, resolveRetryPolicy } from "./retry";
export type { RetryPolicy, RetryDecision, FailureFacts } from "./retry";
export { basicAuthorization, basicCredentialForms, formEncode, connectionsUrl } from "./attempt";
export { explainFailure, explainOk } from "./messages";
export type { Explanation } from "./messages";
export {
  DEFAULT_DEPLOYMENT_CONCURRENCY,
  DEFAULT_RETRY_BUDGET_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
} from "./defaults";
