/**
 * The public side of a flow's preview link, served without login while the link lasts (30 days;
 * 404 after): the flow JSON as a download. The page itself is `flow-preview-page.ts`'s.
 */
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.ts";
import { previewedFlow } from "../app/manage-flows.ts";

export function flowPreviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { token: string } }>(
    "/flows/preview/:token/flow.json",
    { schema: { tags: ["Flows preview"], summary: "A flow's JSON, by its preview link (no login)" } },
    async (req, reply) => {
      const flow = await previewedFlow(ctx, req.params.token);
      if (!flow) return reply.code(404).send({ error: "this preview link does not exist or has expired" });
      return reply
        .type("application/json")
        .header("content-disposition", 'attachment; filename="flow.json"')
        .send(flow.json);
    },
  );
}
