/**
 * The three listeners (identity 127.0.0.1, OIC runtime 127.0.0.2, OIC design time 127.0.0.3) and the path a
 * request takes: control API (unrecorded) → fault → body → route → fault on the answer → write → record.
 * No handler error can take the process down: it becomes a 500 in the route family's error format.
 */
import http from "node:http";
import https from "node:https";
import { type AddressInfo, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CONTROL_PREFIX } from "./controlApi";
import { CONTROL_PLANE_PREFIX } from "./controlPlane";
import {
  corruptReply,
  faultHtmlReply,
  faultRedirectReply,
  faultStatusReply,
  type FaultRegistry,
} from "./faults";
import { jsonReply, type EmuRequest, type Reply, type RequestNotes } from "./http";
import { randomHex } from "./ids";
import { ociError, ociErrorCode } from "./ociErrors";
import { type RequestLog } from "./requestLog";
import { type Router } from "./router";
import { ScimError, scimErrorBody } from "./scim/errors";
import { LOOPBACK_HOSTS, type TlsMaterial } from "./tls";
import { type EmulatorHost } from "./types";

/**
 * Bodies beyond this are refused with 413 (identity domains list 413 among their statuses:
 * https://docs.oracle.com/en-us/iaas/Content/Identity/api-getstarted/StatusCodes.htm).
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Pipeline {
  /** Undefined until the domain is seeded; requests then get 503. */
  routers: Readonly<Record<EmulatorHost, Router>> | undefined;
  /** Present only when the control API is on. */
  control: Router | undefined;
  readonly faults: FaultRegistry;
  readonly log: RequestLog;
}

/** The error format of the route family a path belongs to. */
export function errorReply(
  host: EmulatorHost,
  path: string,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  if (host !== "identity" || path.startsWith(CONTROL_PLANE_PREFIX)) {
    return ociError(
      status,
      status === 404 && host === "identity" ? "NotAuthorizedOrNotFound" : ociErrorCode(status),
      message,
      headers,
    );
  }
  if (path.startsWith("/oauth2/")) {
    return jsonReply(
      status,
      { error: status >= 500 ? "server_error" : "invalid_request", error_description: message },
      headers,
    );
  }
  return jsonReply(status, scimErrorBody(new ScimError(status, message)), headers);
}

class BodyTooLarge extends Error {}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        request.removeAllListeners("data");
        request.resume();
      } else {
        chunks.push(chunk);
      }
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

async function route(
  router: Router,
  host: EmulatorHost,
  request: Omit<EmuRequest, "params">,
): Promise<Reply> {
  const match = router.match(request.method, request.path);
  if (match.kind === "notFound")
    return errorReply(host, request.path, 404, `No route for ${request.method} ${request.path}.`);
  if (match.kind === "methodNotAllowed") {
    return errorReply(
      host,
      request.path,
      405,
      `Method ${request.method} is not allowed on ${request.path}.`,
      {
        allow: match.allowed.join(", "),
      },
    );
  }
  return match.handler({ ...request, params: match.params });
}

function write(response: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = {
    ...reply.headers,
    "content-length": reply.body?.length ?? 0,
  };
  response.writeHead(reply.status, headers);
  response.end(reply.body);
}

async function serve(
  host: EmulatorHost,
  pipeline: Pipeline,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const receivedAt = Date.now();
  const method = (req.method ?? "GET").toUpperCase();
  const target = req.url ?? "/";
  const path = target.split("?")[0] ?? "/";
  const query = new URLSearchParams(target.includes("?") ? target.slice(target.indexOf("?") + 1) : "");
  const isControl = host === "identity" && (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`));
  const notes: RequestNotes = {};
  const record = (status: number): void => {
    if (isControl) return;
    const { signedBy } = notes;
    pipeline.log.record({
      host,
      method,
      path,
      status,
      ...(signedBy === undefined ? {} : { signedBy }),
      receivedAt,
      at: Date.now(),
    });
  };
  const fault = isControl ? undefined : pipeline.faults.take(host, method, path);
  if (fault?.kind === "reset") {
    req.socket.destroy();
    record(0);
    return;
  }
  let reply: Reply;
  try {
    const body = await readBody(req);
    if (fault?.kind === "delay") await sleep(fault.delayMs ?? 0);
    const routers = pipeline.routers;
    const request = { host, method, target, path, query, headers: req.headers, body, notes };
    if (fault?.kind === "status") reply = faultStatusReply(fault, host, path);
    else if (fault?.kind === "html-error") reply = faultHtmlReply(fault);
    else if (fault?.kind === "redirect") reply = faultRedirectReply(fault, target);
    else if (!routers) reply = errorReply(host, path, 503, "The emulator is starting.");
    else if (isControl)
      reply = pipeline.control
        ? await route(pipeline.control, host, request)
        : errorReply(host, path, 404, `No route for ${method} ${path}.`);
    else reply = await route(routers[host], host, request);
  } catch (error) {
    reply =
      error instanceof BodyTooLarge
        ? errorReply(host, path, 413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`)
        : errorReply(
            host,
            path,
            500,
            `Internal error in the emulator: ${error instanceof Error ? error.message : String(error)}`,
          );
  }
  if (host === "identity" && !isControl) {
    // OCI services echo opc-request-id or make one up (oci-go-sdk identitydomains request structs).
    const requestId = req.headers["opc-request-id"];
    reply = {
      ...reply,
      headers: {
        ...reply.headers,
        "opc-request-id": typeof requestId === "string" ? requestId : randomHex(16).toUpperCase(),
      },
    };
  }
  if (fault && fault.kind !== "status" && fault.kind !== "delay") reply = corruptReply(reply, fault.kind);
  // Recorded as the answer is handed over, so a client that has its answer finds it in the read-out.
  record(reply.status);
  write(res, reply);
}

export interface Listener {
  readonly host: EmulatorHost;
  readonly server: http.Server;
  readonly port: number;
}

function listenOn(server: http.Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once("error", onError);
    server.listen(port, address, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function createServer(host: EmulatorHost, pipeline: Pipeline, tls: TlsMaterial | undefined): http.Server {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    serve(host, pipeline, req, res).catch(() => res.destroy());
  };
  const server = tls
    ? https.createServer({ key: tls.keyPem, cert: tls.certPem }, handler)
    : http.createServer(handler);
  // Malformed HTTP gets a 400 instead of an unhandled error.
  server.on("clientError", (_error: Error, socket: Socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

/**
 * Identity on `port` (0: a free one); runtime and design time on the same port number when it is free on
 * their address, else on free ones.
 */
export async function startListeners(
  pipeline: Pipeline,
  port: number,
  tls: TlsMaterial | undefined,
): Promise<Listener[]> {
  const listeners: Listener[] = [];
  try {
    const identity = createServer("identity", pipeline, tls);
    const identityPort = await listenOn(identity, LOOPBACK_HOSTS.identity, port);
    listeners.push({ host: "identity", server: identity, port: identityPort });
    for (const host of ["runtime", "designTime"] as const) {
      let server = createServer(host, pipeline, tls);
      let actual: number;
      try {
        actual = await listenOn(server, LOOPBACK_HOSTS[host], identityPort);
      } catch {
        server = createServer(host, pipeline, tls);
        actual = await listenOn(server, LOOPBACK_HOSTS[host], 0);
      }
      listeners.push({ host, server, port: actual });
    }
    return listeners;
  } catch (error) {
    await closeListeners(listeners);
    throw error;
  }
}

export async function closeListeners(listeners: readonly Listener[]): Promise<void> {
  await Promise.all(
    listeners.map(
      ({ server }) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
}
