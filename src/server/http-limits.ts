import type { ServerOptions } from 'node:http';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from '../config/load-config.js';

/**
 * Limits of the endpoint's HTTP server. Node's defaults let a slowloris client hold a
 * connection for about 80 s (60 s for the headers plus a 30 s check interval) and a slow body
 * for 5 minutes; `DEFAULT_TIMEOUTS` (src/config) cut both well within 30 s. They bound
 * receiving the request only: a long answer (a PROPFIND of thousands of items) is never cut.
 */

/** How often Node checks the two limits above: a cut comes at most this late. */
const CHECK_INTERVAL_MS = 1000;

/** Options for `http.createServer` / `https.createServer`. */
export function httpServerOptions(t: HttpTimeouts = DEFAULT_TIMEOUTS): ServerOptions {
  return {
    headersTimeout: t.headers * 1000,
    // Node requires requestTimeout ≥ headersTimeout (0 would mean none).
    requestTimeout: Math.max(t.request, t.headers) * 1000,
    keepAliveTimeout: t.keepAlive * 1000,
    connectionsCheckingInterval: CHECK_INTERVAL_MS,
    // TCP keep-alive probes, so a vanished client's socket is noticed.
    keepAlive: true,
  };
}
