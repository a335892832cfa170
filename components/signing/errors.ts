/** Credentials that cannot be resolved or loaded; the message names where it looked and never holds a secret. */
export class OciCredentialsError extends Error {
  override readonly name = "OciCredentialsError";
}
