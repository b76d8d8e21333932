import type { PluginContext } from './context.js';

/** An HTTP request to a plugin route, independent of the server framework. */
export interface PluginHttpRequest {
  method: string;
  /** The path below the plugin's prefix (`/plugins/<id>`), e.g. `/webhook`. */
  path: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body (`undefined` without one). */
  body: unknown;
  /** The raw body bytes (to verify webhook signatures). */
  rawBody: Buffer;
}

/** What a route handler answers. */
export interface PluginHttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string or a Buffer. */
  body?: unknown;
}

/**
 * An HTTP route (an inbound webhook, a device callback), mounted at `/plugins/<id><path>` and
 * rate-limited like `/graphql`. Routes authenticate their callers themselves (a signature, an API
 * key): the hub passes no user. An exception answers 500 and never stops the hub.
 */
export interface PluginRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Starts with `/`; Express-style parameters are not supported (use the query). */
  path: string;
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  handler(request: PluginHttpRequest, ctx: PluginContext): Promise<PluginHttpResponse>;
}
