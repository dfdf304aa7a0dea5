/**
 * The answer to an accept: each outcome of `acceptMessages` in the dialect's words. The kit owns
 * the switch and what every dialect does alike (a rate-limited send says when to retry).
 */
import type { FastifyReply } from "fastify";
import type { AcceptResult } from "../../app/accept-messages.ts";
import type { KnownError } from "../../core/whatsapp-errors.ts";

export type Accepted = Extract<AcceptResult, { kind: "accepted" }>;
export type AcceptedMessage = Accepted["messages"][number];
export type InvalidMessages = Extract<AcceptResult, { kind: "invalid" }>["errors"];

export interface AcceptAnswers {
  readonly accepted: (reply: FastifyReply, result: Accepted) => unknown;
  readonly forbidden: (reply: FastifyReply, reason: string) => unknown;
  readonly rateLimited: (reply: FastifyReply, error: KnownError) => unknown;
  readonly invalid: (reply: FastifyReply, errors: InvalidMessages) => unknown;
}

export function answerAccept(reply: FastifyReply, result: AcceptResult, answers: AcceptAnswers): unknown {
  switch (result.kind) {
    case "accepted":
      return answers.accepted(reply, result);
    case "forbidden":
      return answers.forbidden(reply, result.reason);
    case "rate-limited":
      reply.header("retry-after", String(Math.ceil(result.retryAfterMs / 1000)));
      return answers.rateLimited(reply, result.error);
    case "invalid":
      return answers.invalid(reply, result.errors);
  }
}
