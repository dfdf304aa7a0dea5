/** Cloud API endpoints not built yet: each answers 501 with Meta's error object saying what is missing. */
import type { FastifyInstance } from "fastify";
import { sendMetaError } from "./meta-errors.ts";
import { metaRoute } from "./meta-routing.ts";

const UNBUILT: readonly ["GET" | "POST" | "DELETE", string, string][] = [
  ["POST", "/:phoneNumberId/media", "Media upload is not built: send media by link"],
  ["DELETE", "/:objectId", "Media deletion is not built: media upload is not built"],
];

export function unbuiltRoutes(app: FastifyInstance): void {
  for (const [method, path, what] of UNBUILT) {
    metaRoute(app, method, path, {
      schema: { tags: ["Meta Cloud API"], summary: `Not built: ${what}` },
      handler: async (_req, reply) => sendMetaError(reply, 3, what, undefined, 501),
    });
  }
}
