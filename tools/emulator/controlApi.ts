/**
 * The knobs over HTTP, under `/__emulator/*` on the identity host, only when `controlApi: true`:
 * - `GET /__emulator/requests`, `DELETE /__emulator/requests`
 * - `POST /__emulator/faults` (a FaultSpec; `"times": "Infinity"` for a permanent one), `DELETE /__emulator/faults`
 * - `GET /__emulator/propagation`, `PUT /__emulator/propagation` (PropagationDelays; omitted fields keep their value)
 * - `GET /__emulator/oic`, `PUT /__emulator/oic` (`{"missingRoleAnswer": …}`, see MissingRoleAnswer)
 * - `GET /__emulator/tls`, `PUT /__emulator/tls` (`{"host": …, "certificate": "trusted"|"untrusted"}`)
 * - `GET /__emulator/state`
 * - `POST /__emulator/securityTokens` (MintSecurityTokenOptions) → `{"token": …}`, for `keyId="ST$<token>"`
 * These requests are neither recorded nor subject to faults. No authorization: loopback only, off by default.
 */
import { z } from "zod";
import { emptyReply, jsonObjectBody, jsonReply, type Reply } from "./http";
import { FaultSpecError } from "./faults";
import { SecurityTokenError } from "./identity/securityTokens";
import { type Router } from "./router";
import { type EmulatorControl, type FaultSpec, MISSING_ROLE_ANSWERS, type MissingRoleAnswer } from "./types";

const tlsSchema = z
  .object({
    host: z.enum(["identity", "runtime", "designTime"]),
    certificate: z.enum(["trusted", "untrusted"]),
  })
  .strict();

export const CONTROL_PREFIX = "/__emulator";

const delaysSchema = z
  .object({
    appsMs: z.number().int().min(0).optional(),
    grantsMs: z.number().int().min(0).optional(),
    scopesMs: z.number().int().min(0).optional(),
  })
  .strict();

const oicSchema = z
  .object({
    missingRoleAnswer: z.enum(MISSING_ROLE_ANSWERS as [MissingRoleAnswer, ...MissingRoleAnswer[]]).optional(),
  })
  .strict();

const securityTokenSchema = z
  .object({
    publicKeyPem: z.string().min(1),
    subject: z.string().min(1).optional(),
    tenancyOcid: z.string().min(1).optional(),
    kind: z.enum(["session", "resource"]).optional(),
    ttlSeconds: z.number().int().min(0).optional(),
  })
  .strict();

function badRequest(message: string): Reply {
  return jsonReply(400, { code: "BadRequest", message });
}

export function registerControlApi(
  router: Router,
  control: EmulatorControl,
  propagation: () => unknown,
): void {
  router.add("GET", `${CONTROL_PREFIX}/requests`, () => jsonReply(200, { requests: control.requests() }));
  router.add("DELETE", `${CONTROL_PREFIX}/requests`, () => {
    control.clearRequests();
    return emptyReply(204);
  });
  router.add("POST", `${CONTROL_PREFIX}/faults`, (request) => {
    const body = jsonObjectBody(request);
    if (!body) return badRequest("The body must be a JSON object (a FaultSpec).");
    const fault = body.times === "Infinity" ? { ...body, times: Infinity } : body;
    try {
      // injectFault validates its argument; a bad one throws FaultSpecError.
      control.injectFault(fault as unknown as FaultSpec);
    } catch (error) {
      if (error instanceof FaultSpecError) return badRequest(error.message);
      throw error;
    }
    return emptyReply(204);
  });
  router.add("DELETE", `${CONTROL_PREFIX}/faults`, () => {
    control.clearFaults();
    return emptyReply(204);
  });
  router.add("GET", `${CONTROL_PREFIX}/propagation`, () => jsonReply(200, propagation()));
  router.add("PUT", `${CONTROL_PREFIX}/propagation`, (request) => {
    const parsed = delaysSchema.safeParse(jsonObjectBody(request));
    if (!parsed.success) {
      return badRequest(
        `Invalid propagation delays: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
      );
    }
    control.setPropagationDelays(parsed.data);
    return jsonReply(200, propagation());
  });
  router.add("GET", `${CONTROL_PREFIX}/oic`, () => jsonReply(200, control.oic()));
  router.add("PUT", `${CONTROL_PREFIX}/oic`, (request) => {
    const parsed = oicSchema.safeParse(jsonObjectBody(request));
    if (!parsed.success) {
      return badRequest(
        `Invalid OIC behaviour: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
      );
    }
    if (parsed.data.missingRoleAnswer !== undefined)
      control.setMissingRoleAnswer(parsed.data.missingRoleAnswer);
    return jsonReply(200, control.oic());
  });
  router.add("GET", `${CONTROL_PREFIX}/tls`, () => jsonReply(200, control.certificates()));
  router.add("PUT", `${CONTROL_PREFIX}/tls`, (request) => {
    const parsed = tlsSchema.safeParse(jsonObjectBody(request));
    if (!parsed.success) {
      return badRequest(
        `Invalid certificate choice: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
      );
    }
    try {
      control.setCertificate(parsed.data.host, parsed.data.certificate);
    } catch (error) {
      return badRequest(error instanceof Error ? error.message : String(error));
    }
    return jsonReply(200, control.certificates());
  });
  router.add("GET", `${CONTROL_PREFIX}/state`, () => jsonReply(200, control.state()));
  router.add("POST", `${CONTROL_PREFIX}/securityTokens`, async (request) => {
    const parsed = securityTokenSchema.safeParse(jsonObjectBody(request));
    if (!parsed.success) {
      return badRequest(
        `Invalid security token request: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
      );
    }
    try {
      return jsonReply(200, { token: await control.mintSecurityToken(parsed.data) });
    } catch (error) {
      if (error instanceof SecurityTokenError) return badRequest(error.message);
      throw error;
    }
  });
}
