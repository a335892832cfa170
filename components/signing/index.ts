export {
  authenticationProvider,
  checkSigningKey,
  describeCredentials,
  usesExplicitKey,
  OciCredentialsError,
  DEFAULT_OCI_CONFIG_FILE,
  DEFAULT_OCI_PROFILE,
} from "./credentials";
export type { OciApiKeyCredentials } from "./credentials";
export { createSignedClient } from "./signedClient";
export type { SignedClient, SignedRequest } from "./signedClient";
