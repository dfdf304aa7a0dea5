/**
 * The TypeBox provider's request typing, for every module that declares routes (the dialects, the
 * simulator's sandbox API, the short links): a route's `req.body`, `req.params` and `req.query` are
 * the `Static` types of its schemas. Replies stay untyped: handlers answer errors through reply
 * helpers and return the reply, which the provider's reply typing (the response schemas' types
 * only) does not admit. Type-only: the provider's runtime module imports a devDependency.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyTypeProvider } from "fastify";

export interface RouteTypeProvider extends FastifyTypeProvider {
  validator: ValidatedBy<this["schema"]>;
  serializer: unknown;
}

/** What the TypeBox provider makes of a schema `S` (Fastify resolves providers this way). */
export type ValidatedBy<S> = (TypeBoxTypeProvider & { schema: S })["validator"];
