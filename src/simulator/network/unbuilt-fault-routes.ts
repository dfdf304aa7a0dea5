/**
 * Fault injection at the Meta face (issue #16, item 5: per route family, trigger and answer, set
 * through the sandbox API) is not built: its routes answer 501 saying so, rather than 404.
 */
import type { FastifyInstance } from "fastify";

const WHAT =
  "fault injection at the Meta face (per route family send/media/templates/any; always, next N or every Nth; " +
  "429/130429 with Retry-After, 131056, 500, a custom error body, a hung connection) is not built yet; " +
  "sandbox rules (POST /sandbox/rules, behaviour fail) fail deliveries with a given error meanwhile";

export function unbuiltFaultRoutes(app: FastifyInstance): void {
  for (const method of ["GET", "POST", "DELETE"] as const)
    for (const url of ["/sandbox/faults", "/sandbox/faults/:id"])
      app.route({
        method,
        url,
        schema: { tags: ["Sandbox"], summary: "Fault injection at the Meta face: not built (501)" },
        handler: async (_req, reply) => reply.code(501).send({ error: WHAT }),
      });
}
