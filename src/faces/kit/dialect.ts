/**
 * A dialect: one vendor's API over the core, as one plugin of one kind. The server mounts every
 * dialect the same way (its auth hook, its error handler, its routes, under its prefix) and asks
 * each which unrouted URLs are its own; the store thread reads only `reports`, through
 * `faces/report-formatters.ts`, which loads no routes or schemas.
 */

import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
} from "fastify";
import type { TSchema } from "typebox";
import type { AppContext } from "../../app/context.ts";
import type { ReportFormatter } from "../../app/report-formatter.ts";
import type { Face } from "../../core/message.ts";
import type { RouteTypeProvider } from "../../fastify/type-provider.ts";
import type { DialectAuth } from "./authenticate.ts";
import type { DialectErrors } from "./error-handler.ts";

/** The route typing every dialect declares its routes with (`src/fastify/type-provider.ts`). */
export type FaceTypeProvider = RouteTypeProvider;

/** The Fastify instance a dialect's routes are declared on. */
export type FaceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  FaceTypeProvider
>;

/**
 * The body a route whose body schema is `S` receives, as the provider types it: for helpers that
 * declare routes from a table of schemas (the provider resolves it once `S` is known).
 */
export type SchemaBody<S extends TSchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  { body: S },
  FaceTypeProvider
>["body"];

export interface Dialect {
  readonly name: Face;
  /** Mounted under this path (Sinch's `/whatsapp/v1`); none: at the root. */
  readonly prefix?: string;
  /** How its webhooks are worded (the same object `faces/report-formatters.ts` lists). */
  readonly reports: ReportFormatter;
  readonly auth: DialectAuth;
  readonly errors: DialectErrors;
  readonly notFound?: DialectNotFound;
  readonly routes: (app: FaceApp, ctx: AppContext) => void | Promise<void>;
}

/** A dialect's answer to a request no route serves. */
export interface DialectNotFound {
  /**
   * The unrouted URLs that are this dialect's, asked at the root after every route failed. None:
   * the dialect answers every unrouted URL under its `prefix`, after its auth hook, as Fastify
   * does for a prefixed scope.
   */
  readonly claims?: (url: string) => boolean;
  readonly answer: (req: FastifyRequest, reply: FastifyReply) => unknown;
}
