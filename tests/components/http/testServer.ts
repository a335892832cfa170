/** A tiny loopback HTTP(S) server whose handler per path the test decides; it records what it received. */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

import type { LeafPem } from "./tlsFixtures";

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface TestServer {
  readonly origin: string;
  readonly received: Received[];
  on(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startTestServer(tls?: LeafPem, host = "127.0.0.1"): Promise<TestServer> {
  const handlers = new Map<string, Handler>();
  const received: Received[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const path = (req.url ?? "").split("?")[0] ?? "";
      const handler = handlers.get(path);
      if (handler) handler(req, res, body);
      else {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end('{"error":"no handler"}');
      }
    });
  };
  const server = tls
    ? https.createServer({ cert: tls.cert, key: tls.key }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? "https" : "http"}://${host}:${port}`,
    received,
    on(path, handler) {
      handlers.set(path, handler);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
