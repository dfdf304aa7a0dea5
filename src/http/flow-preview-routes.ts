/**
 * The public side of a flow's preview link, served without login while the link lasts (30 days;
 * 404 after): the page (`flow-preview-page.ts`), its script and style, and the flow JSON.
 */
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.ts";
import { previewedFlow } from "../app/manage-flows.ts";
import {
  flowPreviewPage,
  PREVIEW_ASSETS,
  PREVIEW_CSP,
  PREVIEW_CSS,
  PREVIEW_JS,
} from "./flow-preview-page.ts";

const EXPIRED = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview not found</title><link rel="icon" href="data:,"></head>
<body><h1>This preview link does not exist or has expired</h1><p>Ask for a new one: the flow's preview gives a link for 30 days.</p></body></html>`;

export function flowPreviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const tags = ["Flows preview"];
  app.get<{ Params: { token: string } }>(
    "/flows/preview/:token",
    { schema: { tags, summary: "A flow's preview page, by its preview link (no login; 30 days)" } },
    async (req, reply) => {
      const flow = await previewedFlow(ctx, req.params.token);
      reply.header("content-security-policy", PREVIEW_CSP).header("cache-control", "no-store");
      if (!flow) return reply.code(404).type("text/html; charset=utf-8").send(EXPIRED);
      return reply.type("text/html; charset=utf-8").send(flowPreviewPage(flow));
    },
  );
  for (const [file, type, text] of [
    ["preview.js", "text/javascript; charset=utf-8", PREVIEW_JS],
    ["preview.css", "text/css; charset=utf-8", PREVIEW_CSS],
  ] as const) {
    app.get(`${PREVIEW_ASSETS}/${file}`, { schema: { hide: true } }, async (_req, reply) =>
      reply.type(type).header("cache-control", "public, max-age=3600").send(text),
    );
  }
  app.get<{ Params: { token: string } }>(
    "/flows/preview/:token/flow.json",
    { schema: { tags, summary: "A flow's JSON, by its preview link (no login)" } },
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
