/**
 * Builds the HTTP server: JSON parsing that tolerates empty bodies (SDKs send Content-Type on
 * GET/DELETE), every dialect (`faces/dialects.ts`), the sandbox API, health, and the OpenAPI
 * document generated from the same schemas that validate requests.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { ADMIN_PREFIX, adminApi } from "../admin/admin-app.ts";
import type { ActivitySource } from "../app/activity-feed.ts";
import type { AppContext } from "../app/context.ts";
import type { Readiness } from "../app/readiness.ts";
import { consoleApiRoutes, consoleErrorHandler } from "../console/console-api-routes.ts";
import { consoleAssets } from "../console/console-assets.ts";
import { liveEventRoutes } from "../console/live-events.ts";
import { DIALECTS } from "../faces/dialects.ts";
import { dialectPlugin } from "../faces/kit/dialect-plugin.ts";
import type { SimulatorApi } from "../simulator/simulator-api.ts";
import { simulatorRoutes } from "../simulator/simulator-routes.ts";
import { flowPreviewRoutes } from "./flow-preview-routes.ts";
import { metaCarrierIntakeRoutes } from "./meta-carrier-intake-routes.ts";
import { shortLinkRoutes } from "./short-link-routes.ts";

export interface ServerParts {
  readonly ctx: AppContext;
  /** Serve the sandbox API of the simulator. */
  readonly simulator?: SimulatorApi;
  /** Serve `/readyz` and `/metrics` (a node run by the composition root). */
  readonly operations?: NodeOperations;
  /** What happens, for the console's live stream (the workers' activity feed). */
  readonly activity?: ActivitySource;
}

/** What a load balancer and Prometheus ask a node. */
export interface NodeOperations {
  readiness(): Promise<Readiness>;
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
}

export async function buildServer({
  ctx,
  simulator,
  operations,
  activity,
}: ServerParts): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify's own per-request logging costs about a quarter of a request's time here. Requests
    // are not logged; errors are, by the faces' error handlers, through ctx.log.
    logger: false,
    bodyLimit: 10 * 1024 * 1024,
    // On stop, connections are closed as they fall idle, never with a request in flight
    // (http/graceful-close.ts); Fastify must not cut them all at once.
    forceCloseConnections: false,
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
    try {
      done(null, JSON.parse(text));
    } catch {
      // An empty body (or only whitespace) is no body; checked only when parsing failed.
      if (text.trim() === "") return done(null, undefined);
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
          Admin: {
            type: "http",
            scheme: "bearer",
            description:
              "The admin key (OPENBSP_ADMIN_KEY) as a Bearer token: the admin API only, never a face",
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

  if (operations) {
    app.get(
      "/readyz",
      {
        schema: {
          tags: ["Operations"],
          summary:
            "Readiness for a load balancer: store reachable, migrations applied, workers alive (503 naming the failed check)",
        },
      },
      async (_req, reply) => {
        const r = await operations.readiness();
        return reply
          .code(r.ready ? 200 : 503)
          .send({ status: r.ready ? "ready" : "not ready", checks: r.checks });
      },
    );
    app.get(
      "/metrics",
      { schema: { tags: ["Operations"], summary: "Prometheus metrics of this node (all its threads)" } },
      async (_req, reply) => {
        const m = await operations.metrics();
        return reply.type(m.contentType).send(m.body);
      },
    );
  }

  for (const dialect of DIALECTS) {
    await app.register(dialectPlugin(dialect), {
      ctx,
      ...(dialect.prefix ? { prefix: dialect.prefix } : {}),
    });
  }
  await app.register(adminApi(ctx), { prefix: ADMIN_PREFIX });
  if (simulator) simulatorRoutes(app, ctx, simulator);
  shortLinkRoutes(app, ctx);
  flowPreviewRoutes(app, ctx);
  consoleAssets(app);
  // Its own scope: the console API's auth hook runs for its routes only.
  await app.register(async (scope) => {
    scope.setErrorHandler(consoleErrorHandler(ctx));
    consoleApiRoutes(scope, ctx);
    if (activity) liveEventRoutes(scope, ctx, activity);
  });
  await metaCarrierIntakeRoutes(app, ctx);

  // An unrouted URL a dialect claims answers in its body; Sinch answers its own under its prefix.
  app.setNotFoundHandler((req, reply) => {
    const owner = DIALECTS.find((d) => d.notFound?.claims?.(req.url));
    if (owner?.notFound) return owner.notFound.answer(req, reply);
    return reply.code(404).send({ error: `no route ${req.method} ${req.url}` });
  });
  return app;
}
