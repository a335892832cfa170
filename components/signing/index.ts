export { OciCredentialsError } from "./errors";
export { createSignedClient } from "./signedClient";
export type { SignedClient, SignedRequest } from "./signedClient";
export { OciAuthMode, OCI_AUTH_MODES, SIGNING_AUTH_MODES, parseAuthMode } from "./authModes";
export {
  SETTING_ATTRIBUTES,
  SECRET_SETTINGS,
  environmentNames,
  settingName,
  settingValue,
} from "./providerSettings";
export type {
  Environment,
  OciProviderSettings,
  OciSetting,
  OciSettingsOrigin,
  Sourced,
} from "./providerSettings";
export type { CredentialSources } from "./credentialSources";
export { Secret } from "./secret";
export { resolveOciCredentials } from "./resolveCredentials";
export type { CredentialResolution, OciSigner, ResolvedOciCredentials } from "./resolvedCredentials";
export { checkCredentialsResolvable } from "./credentialsCheck";
export type { CredentialsCheck } from "./credentialsCheck";
export { authenticationProviderFor, signingProviderFor } from "./authenticationProviderFor";
export {
  REFERENCE_SECRET_KEYS,
  REFERENCE_SETTINGS,
  providerSettingsOf,
  referenceProblems,
  stackSettings,
} from "./providerReference";
export type { OciProviderReference, ReferencedSettings, StackConfigReader } from "./providerReference";
