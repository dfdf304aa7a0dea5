/**
 * One error handler for every dialect: schema failures in the dialect's body, other 4xx passed
 * through with their message, anything else logged and answered as the dialect's 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../app/context.ts";

/** How a dialect words the errors no route answered itself. */
export interface DialectErrors {
  /** A request that failed its route's schema (`err.validation` is set). */
  readonly validation: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => unknown;
  /** A 4xx Fastify or a plugin raised (bad JSON, body too large, wrong content type…). */
  readonly client: (reply: FastifyReply, status: number, message: string) => unknown;
  /** Anything else: already logged; the caller learns only that it failed. */
  readonly internal: (reply: FastifyReply) => unknown;
}

export function dialectErrorHandler(ctx: AppContext, errors: DialectErrors) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) return errors.validation(err, req, reply);
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return errors.client(reply, status, err.message);
    ctx.log.error({ err, method: req.method, url: req.url }, "request failed");
    return errors.internal(reply);
  };
}
