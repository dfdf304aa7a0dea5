/**
 * Builds the HTTP server: JSON parsing that tolerates empty bodies (SDKs send Content-Type on
 * GET/DELETE), every dialect (`faces/dialects.ts`), the sandbox API, health, and the OpenAPI
 * document generated from the same schemas that validate requests.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.ts";
import { DIALECTS } from "../faces/dialects.ts";
import { dialectPlugin } from "../faces/kit/dialect-plugin.ts";
import type { SimulatorApi } from "../simulator/simulator-api.ts";
import { simulatorRoutes } from "../simulator/simulator-routes.ts";
import { metaCarrierIntakeRoutes } from "./meta-carrier-intake-routes.ts";
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
    // On stop, end kept-alive connections too: a client that downloaded media (a streamed answer)
    // otherwise holds the close for the 72 s keep-alive timeout.
    forceCloseConnections: true,
    ajv: {
      customOptions: {
        allErrors: true,
        verbose: true,
        coerceTypes: false,
        removeAdditional: false,
      },
    },
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
          App: {
            type: "apiKey",
            in: "header",
            name: "Authorization",
            description: "`App <api key>` (Infobip face)",
          },
          Bearer: {
            type: "http",
            scheme: "bearer",
            description: "The API key as a Bearer token (Meta and Sinch faces)",
          },
        },
      },
      security: [{ App: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get(
    "/healthz",
    { schema: { tags: ["Operations"], summary: "Liveness and store health" } },
    async () => ({
      status: "ok",
      webhooks: await ctx.storage.outbox.counts(),
      smsFailovers: await ctx.storage.smsFailovers.counts(),
    }),
  );

  for (const dialect of DIALECTS) {
    await app.register(dialectPlugin(dialect), {
      ctx,
      ...(dialect.prefix ? { prefix: dialect.prefix } : {}),
    });
  }
  if (simulator) simulatorRoutes(app, ctx, simulator);
  shortLinkRoutes(app, ctx);
  await metaCarrierIntakeRoutes(app, ctx);

  // An unrouted URL a dialect claims answers in its body; Sinch answers its own under its prefix.
  app.setNotFoundHandler((req, reply) => {
    const owner = DIALECTS.find((d) => d.notFound?.claims?.(req.url));
    if (owner?.notFound) return owner.notFound.answer(req, reply);
    return reply.code(404).send({ error: `no route ${req.method} ${req.url}` });
  });
  return app;
}
