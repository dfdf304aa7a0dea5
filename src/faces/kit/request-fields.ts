/**
 * A path or query parameter read where no route schema types it yet: in a dialect's onRequest
 * hooks (auth runs before routing validates) and in helpers that serve many routes.
 */
import type { FastifyRequest } from "fastify";

function field(source: unknown, name: string): string | undefined {
  if (typeof source !== "object" || source === null || !(name in source)) return undefined;
  const value: unknown = Reflect.get(source, name);
  return typeof value === "string" ? value : undefined;
}

export const pathParam = (req: FastifyRequest, name: string): string | undefined => field(req.params, name);

export const queryParam = (req: FastifyRequest, name: string): string | undefined => field(req.query, name);
