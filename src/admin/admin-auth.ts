/**
 * The admin API's key check: `Authorization: Bearer <OPENBSP_ADMIN_KEY>`, compared in constant
 * time. Account keys live in another table and are never compared here, so an account key never
 * opens the admin API and the admin key (not an account's) never opens a face.
 */
import { timingSafeEqual } from "node:crypto";
import type { onRequestHookHandler } from "fastify";
import type { AppContext } from "../app/context.ts";
import { bearerToken } from "../faces/kit/bearer-token.ts";
import { sendAdminError } from "./admin-errors.ts";

export function adminAuth(ctx: AppContext): onRequestHookHandler {
  const expected = ctx.config.adminKey ? Buffer.from(ctx.config.adminKey) : undefined;
  return (req, reply, done) => {
    if (!expected) {
      void sendAdminError(reply, 403, "The admin API is off: start OpenBSP with OPENBSP_ADMIN_KEY set");
      return;
    }
    const wait = ctx.authFailures.blockedFor(req.ip, Date.now());
    if (wait !== undefined) {
      reply.header("retry-after", String(Math.ceil(wait / 1000)));
      void sendAdminError(reply, 429, "Too many failed authentications from this address: retry later");
      return;
    }
    const given = Buffer.from(bearerToken(req.headers.authorization) ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      ctx.authFailures.failed(req.ip, Date.now());
      void sendAdminError(
        reply,
        401,
        "Authorization: Bearer <admin key> is missing or wrong",
        "authorization",
      );
      return;
    }
    done();
  };
}
