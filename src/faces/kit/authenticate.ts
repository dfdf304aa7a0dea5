/** Every authenticated request carries the caller's account, set by the dialect's auth hook. */
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import type { AppContext } from "../../app/context.ts";
import type { Account } from "../../core/account.ts";

declare module "fastify" {
  interface FastifyRequest {
    account: Account;
  }
}

/** Where a dialect finds the API key in a request, and how it refuses one it does not know. */
export interface DialectAuth {
  readonly keyOf: (req: FastifyRequest) => string | undefined;
  readonly refuse: (reply: FastifyReply) => unknown;
  /**
   * Another credential the dialect takes where it is not an API key (Meta's app access token on
   * `/{app-id}/subscriptions`): the account it opens, if any. Asked only for a key no account has.
   */
  readonly otherwise?: (ctx: AppContext, req: FastifyRequest, key: string) => Promise<Account | undefined>;
}

/**
 * An onRequest hook that sets `req.account` from the API key `auth.keyOf` finds in the request, or
 * lets `auth.refuse` answer in the dialect's words. Callback style, with a synchronous fast path: a
 * cached key costs no promise on every request.
 */
export function authenticate(
  ctx: AppContext,
  { keyOf, refuse, otherwise }: DialectAuth,
  tooMany: (reply: FastifyReply, status: number, message: string) => unknown,
): onRequestHookHandler {
  return (req, reply, done) => {
    const key = keyOf(req);
    const cached = key ? ctx.lookups.peekAccount(key) : undefined;
    if (cached) {
      req.account = cached;
      return done();
    }
    // An address that keeps failing is refused before its key is even looked up.
    const wait = ctx.authFailures.blockedFor(req.ip, Date.now());
    if (wait !== undefined) {
      reply.header("retry-after", String(Math.ceil(wait / 1000)));
      void tooMany(reply, 429, "Too many failed authentications from this address: retry later");
      return;
    }
    const lookup = key
      ? ctx.lookups
          .accountByApiKey(key)
          .then((account) => account ?? (otherwise ? otherwise(ctx, req, key) : undefined))
      : Promise.resolve(undefined);
    lookup.then(
      (account) => {
        if (!account) {
          ctx.authFailures.failed(req.ip, Date.now());
          return refuse(reply);
        }
        req.account = account;
        done();
      },
      (err: Error) => done(err),
    );
  };
}
