/**
 * One webhook attempt as the APIs show it (times in ISO 8601): the admin API's delivery log and
 * the console's, for one message of the account's, answer the same shape.
 */
import { Type } from "typebox";
import type { LoggedAttempt } from "../core/webhook-attempt.ts";

export const AttemptView = Type.Object({
  seq: Type.Integer(),
  eventId: Type.String(),
  accountId: Type.String(),
  url: Type.String(),
  at: Type.String({ format: "date-time", description: "ISO 8601" }),
  requestBytes: Type.Integer(),
  status: Type.Optional(Type.Integer()),
  responseHead: Type.Optional(Type.String({ description: "The first bytes of the answer" })),
  latencyMs: Type.Integer(),
  error: Type.Optional(Type.String()),
  ok: Type.Boolean(),
  messageIds: Type.Array(Type.String()),
  subscriptionId: Type.Optional(Type.String()),
});

export const attemptView = (a: LoggedAttempt) => ({ ...a, at: new Date(a.at).toISOString() });
