/** OpenBSP's base URL as clients reach it: OPENBSP_PUBLIC_URL, or the scheme and host of the request. */
import type { FastifyRequest } from "fastify";
import type { AppContext } from "../../app/context.ts";

export function publicBase(ctx: AppContext, req: FastifyRequest): string {
  return ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
}
