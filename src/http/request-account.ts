/** Every authenticated request carries the caller's account, set by the face's auth hook. */
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import type { AppContext } from "../app/context.ts";
import type { Account } from "../core/account.ts";

declare module "fastify" {
  interface FastifyRequest {
    account: Account;
  }
}

/**
 * An onRequest hook that sets `req.account` from the API key `keyOf` finds in the request, or lets
 * `deny` answer in the face's dialect. Callback style, with a synchronous fast path: a cached key
 * costs no promise on every request.
 */
export function authenticate(
  ctx: AppContext,
  keyOf: (req: FastifyRequest) => string | undefined,
  deny: (reply: FastifyReply) => unknown,
): onRequestHookHandler {
  return (req, reply, done) => {
    const key = keyOf(req);
    const cached = key ? ctx.lookups.peekAccount(key) : undefined;
    if (cached) {
      req.account = cached;
      return done();
    }
    const lookup = key ? ctx.lookups.accountByApiKey(key) : Promise.resolve(undefined);
    lookup.then(
      (account) => {
        if (!account) return deny(reply);
        req.account = account;
        done();
      },
      (err: Error) => done(err),
    );
  };
}
