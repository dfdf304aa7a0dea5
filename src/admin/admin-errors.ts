/**
 * The admin API's own error body: `{"error": {"code", "message", "field"?}}`, the field named as
 * the request spells it (`number`, `meta.webhookUrl`, `accountId`). Schema failures, use-case
 * refusals (AdminError) and Fastify's own 4xx all answer in it; anything else is logged and a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { AdminError, type AdminErrorKind } from "../app/admin-error.ts";
import type { AppContext } from "../app/context.ts";

export const AdminErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, …" }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: "The request field at fault" })),
    }),
  },
  { description: "What went wrong, naming the field" },
);

const CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
  501: "NOT_IMPLEMENTED",
};

export function sendAdminError(reply: FastifyReply, status: number, message: string, field?: string) {
  return reply.code(status).send({
    error: { code: CODES[status] ?? "ERROR", message, ...(field !== undefined ? { field } : {}) },
  });
}

const STATUS: Record<AdminErrorKind, number> = { "not-found": 404, conflict: 409, invalid: 400 };

export function adminErrorHandler(ctx: AppContext) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AdminError) return sendAdminError(reply, STATUS[err.kind], err.message, err.field);
    if (err.validation) {
      const first = err.validation[0];
      const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
      const path = (first?.instancePath ?? "").split("/").filter(Boolean);
      if (missing) path.push(missing);
      if (extra) path.push(extra);
      const field = path.length > 0 ? path.join(".") : err.validationContext;
      const message = `${field ?? "request"}: ${extra ? "is not a known field" : (first?.message ?? "is invalid")}`;
      return sendAdminError(reply, 400, message, field);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendAdminError(reply, status, err.message);
    ctx.log.error({ err, method: req.method, url: req.url }, "admin request failed");
    return sendAdminError(reply, 500, "internal error");
  };
}
