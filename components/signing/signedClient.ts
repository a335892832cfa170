import type { AuthenticationDetailsProvider, DefaultRequestSigner } from "oci-common";

import type { HttpClient, HttpMethod, HttpRequest, HttpResponse } from "../http";

/** A request to an OCI API (the identity domain's `/admin/v1` or a control plane), signed before it is sent. */
export interface SignedRequest {
  readonly method: HttpMethod;
  readonly url: string;
  /** Sent as JSON; the exact text sent is the text whose SHA-256 is signed. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly acceptStatus?: HttpRequest["acceptStatus"];
}

export interface SignedClient {
  request(request: SignedRequest): Promise<HttpResponse>;
}

/**
 * Signs each request with oci-common's DefaultRequestSigner (draft-cavage HTTP signatures over
 * `x-date (request-target) host`, plus `content-type content-length x-content-sha256` on POST/PUT/PATCH),
 * exactly as Oracle's SDKs do, then sends it through the project's HTTP client. `provider` is any of oci-common's
 * providers: an API key (`keyId` `<tenancy>/<user>/<fingerprint>`) or a token-based one (`ST$<token>` with the
 * session key: a security-token profile, a resource or instance principal), as `authenticationProviderFor`
 * makes them; the signer asks it for the key id on every request, so a principal's refreshed token is used.
 */
export function createSignedClient(http: HttpClient, provider: AuthenticationDetailsProvider): SignedClient {
  let signer: DefaultRequestSigner | undefined;
  return {
    async request(request) {
      const common = await import("oci-common");
      signer ??= new common.DefaultRequestSigner(provider);
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const headers = new Headers({ accept: "application/json", ...request.headers });
      if (body !== undefined) headers.set("content-type", "application/json");
      await signer.signHttpRequest({ method: request.method, uri: request.url, headers, body });
      const plain: Record<string, string> = {};
      headers.forEach((value, name) => {
        plain[name] = value;
      });
      return http.request({
        method: request.method,
        url: request.url,
        headers: plain,
        body,
        acceptStatus: request.acceptStatus,
      });
    },
  };
}
