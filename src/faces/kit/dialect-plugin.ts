/**
 * Mounts a dialect as its own Fastify scope, so its auth and error bodies do not leak to the
 * others: the auth hook first, then its error handler and not-found answer, then its routes.
 */
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../app/context.ts";
import { authenticate } from "./authenticate.ts";
import type { Dialect, FaceTypeProvider } from "./dialect.ts";
import { dialectErrorHandler } from "./error-handler.ts";

export function dialectPlugin(dialect: Dialect) {
  return async (app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> => {
    const scope = app.withTypeProvider<FaceTypeProvider>();
    scope.addHook("onRequest", authenticate(ctx, dialect.auth, dialect.errors.client));
    scope.setErrorHandler(dialectErrorHandler(ctx, dialect.errors));
    const notFound = dialect.notFound;
    if (notFound && !notFound.claims) scope.setNotFoundHandler((req, reply) => notFound.answer(req, reply));
    await dialect.routes(scope, ctx);
  };
}
