/**
 * The short links OpenBSP serves: `GET /s/{code}` under its own address, and `GET /{code}` when
 * the request comes in under a custom domain the link was made for (point the domain at OpenBSP).
 * Each answers 302 to the original URL and records the click. No authentication: users click these.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import { followShortLink } from "../app/follow-short-link.ts";
import { SHORT_CODE } from "../app/short-links.ts";
import type { RouteTypeProvider } from "../fastify/type-provider.ts";

const tags = ["Short links"];
const Code = Type.Object({ code: Type.String() });

export function shortLinkRoutes(untyped: FastifyInstance, ctx: AppContext): void {
  const app = untyped.withTypeProvider<RouteTypeProvider>();
  async function follow(req: FastifyRequest, reply: FastifyReply, code: string, underCustomDomain: boolean) {
    const url = SHORT_CODE.test(code)
      ? await followShortLink(ctx, {
          code,
          host: req.hostname.toLowerCase(),
          underCustomDomain,
          ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}),
        })
      : undefined;
    if (url === undefined) return reply.code(404).send({ error: `no short link ${req.url}` });
    return reply.code(302).header("location", url).header("cache-control", "no-store").send();
  }

  app.get(
    "/s/:code",
    {
      schema: {
        tags,
        summary: "Open a short link (302 to its URL; the click is recorded and reported)",
        params: Code,
      },
    },
    (req, reply) => follow(req, reply, req.params.code, false),
  );
  // Only ten-character codes reach this route; every other root path stays a plain 404.
  app.get(
    "/:code(^[0-9A-Za-z]{10}$)",
    { schema: { tags, summary: "Open a short link under a custom domain (Host header)", params: Code } },
    (req, reply) => follow(req, reply, req.params.code, true),
  );
}
