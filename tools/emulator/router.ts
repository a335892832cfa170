/**
 * Method + path routing with `:param` segments and a trailing `*` for "one or more further segments". A path that matches with another method gives the allowed
 * methods (for a 405 with `Allow`), an unknown path gives nothing (404).
 */
import { type EmuRequest, type Reply } from "./http";

export type Handler = (request: EmuRequest) => Reply | Promise<Reply>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: Handler;
}

export type RouteMatch =
  | { readonly kind: "found"; readonly handler: Handler; readonly params: Record<string, string> }
  | { readonly kind: "methodNotAllowed"; readonly allowed: readonly string[] }
  | { readonly kind: "notFound" };

function split(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.split("/").slice(1);
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }

  private params(route: Route, segments: readonly string[]): Record<string, string> | undefined {
    const wildcard = route.segments[route.segments.length - 1] === "*";
    if (wildcard ? segments.length < route.segments.length : route.segments.length !== segments.length) {
      return undefined;
    }
    const params: Record<string, string> = {};
    for (const [i, expected] of route.segments.entries()) {
      const actual = segments[i] ?? "";
      if (expected === "*") break;
      if (expected.startsWith(":")) {
        const value = decode(actual);
        if (value === undefined || value === "") return undefined;
        params[expected.slice(1)] = value;
      } else if (expected !== actual) {
        return undefined;
      }
    }
    return params;
  }

  match(method: string, path: string): RouteMatch {
    const segments = split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = this.params(route, segments);
      if (!params) continue;
      if (route.method === method.toUpperCase()) return { kind: "found", handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "methodNotAllowed", allowed } : { kind: "notFound" };
  }
}
