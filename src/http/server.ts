/**
 * Builds the HTTP server: JSON parsing that tolerates empty bodies (SDKs send Content-Type on
 * GET/DELETE), the faces, the sandbox API, health, and the OpenAPI document generated from the
 * same schemas that validate requests.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.ts";
import { errorBody } from "../faces/infobip/infobip-errors.ts";
import { infobipFace } from "../faces/infobip/infobip-face.ts";
import { metaFace } from "../faces/meta/meta-face.ts";
import { answerUnbuiltGraphCall } from "../faces/meta/meta-routing.ts";
import { sinchFace } from "../faces/sinch/sinch-face.ts";
import type { SimulatorApi } from "../simulator/simulator-api.ts";
import { simulatorRoutes } from "../simulator/simulator-routes.ts";
import "./request-account.ts";
import { shortLinkRoutes } from "./short-link-routes.ts";

export interface ServerParts {
  readonly ctx: AppContext;
  /** Serve the sandbox API of the simulator. */
  readonly simulator?: SimulatorApi;
}

export async function buildServer({ ctx, simulator }: ServerParts): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify's own per-request logging costs about a quarter of a request's time here. Requests
    // are not logged; errors are, by the faces' error handlers, through ctx.log.
    logger: false,
    bodyLimit: 10 * 1024 * 1024,
    ajv: { customOptions: {
        allErrors: true,
        verbose: true,
        coerceTypes: false,
        removeAdditional: false,
      } },
  });
  app.decorateRequest("account", null as never);

  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = Object.assign(new Error("Body is not valid JSON"), { statusCode: 400 });
      done(err, undefined);
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "OpenBSP",
        version: "0.1.0",
        description:
          "Self-hosted WhatsApp Business messaging: Infobip's WhatsApp API, Meta's Cloud API (any /vNN.N/ prefix) and Sinch's WhatsApp API v1 dialects over one core, plus the sandbox API of the simulated WhatsApp network.",
      },
      components: {
        securitySchemes: {
          App: { type: "apiKey", in: "header", name: "Authorization", description: "`App <api key>` (Infobip face)" },
          Bearer: { type: "http", scheme: "bearer", description: "The API key as a Bearer token (Meta and Sinch faces)" },
        },
      },
      security: [{ App: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { tags: ["Operations"], summary: "Liveness and store health" } }, async () => ({
    status: "ok",
    webhooks: await ctx.storage.outbox.counts(),
    smsFailovers: await ctx.storage.smsFailovers.counts(),
  }));

  await app.register(infobipFace, { ctx });
  await app.register(metaFace, { ctx });
  await app.register(sinchFace, { ctx });
  if (simulator) simulatorRoutes(app, ctx, simulator);
  shortLinkRoutes(app, ctx);

  app.setNotFoundHandler((req, reply) => {
    if (answerUnbuiltGraphCall(req, reply)) return reply;
    const body = req.url.startsWith("/whatsapp/") ? errorBody(404) : { error: `no route ${req.method} ${req.url}` };
    return reply.code(404).send(body);
  });
  return app;
}
