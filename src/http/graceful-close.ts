/**
 * Closes the HTTP server without cutting a request short: the listener closes at once (a load
 * balancer's next connection goes to another node), a request arriving on a kept-alive connection
 * is answered 503 with `Connection: close` (Fastify's `return503OnClosing`), and each connection
 * is closed as soon as it is idle, so every request in flight gets its answer. After `graceMs`
 * the connections still busy are closed too.
 */
import type { FastifyInstance } from "fastify";

const REAP_EVERY_MS = 20;

export async function closeGracefully(app: FastifyInstance, graceMs: number): Promise<void> {
  const server = app.server;
  const closed = app.close();
  const reaper = setInterval(() => server.closeIdleConnections(), REAP_EVERY_MS);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(reaper);
    clearTimeout(deadline);
  }
}
