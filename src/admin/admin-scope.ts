/** The Fastify scope the admin routes are declared on, typed by the shared TypeBox route typing. */
import type { FastifyInstance } from "fastify";
import type { RouteTypeProvider } from "../fastify/type-provider.ts";

export const adminScope = (app: FastifyInstance) => app.withTypeProvider<RouteTypeProvider>();
export type AdminApp = ReturnType<typeof adminScope>;
