/**
 * What Meta answered a send, as the dispatcher's outcome: a `wamid` (sent), an error to retry
 * (throttled, Meta's servers failing, no answer in time) or one that fails the message for good,
 * with Meta's code and title kept so every dialect's report carries them.
 */
import type { WhatsAppError } from "../../core/whatsapp-errors.ts";
import type { SendOutcome } from "../carrier.ts";

/** Meta's throttling codes: the sender's throughput (130429), a user's pair rate (131056), Graph's (4, 80007). */
const RETRIED_CODES = new Set([4, 80007, 130429, 131056, 131000, 131016, 2]);

export interface GraphAnswer {
  readonly status: number;
  readonly body: unknown;
  /** `Retry-After`, in ms, when Meta gave one. */
  readonly retryAfterMs?: number;
}

/** Meta's error object's code, title and details, read loosely: a stand-in may answer less. */
export function graphErrorOf(body: unknown): WhatsAppError | undefined {
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!e || typeof e !== "object") return undefined;
  const code = typeof e.code === "number" ? e.code : Number(e.code);
  if (!Number.isFinite(code)) return undefined;
  const message = typeof e.message === "string" ? e.message : "";
  // Graph prefixes the title with its code: "(#131026) Message undeliverable".
  const title = message.replace(/^\(#\d+\)\s*/, "") || `Meta error ${code}`;
  const data = e.error_data as { details?: unknown } | undefined;
  const details = typeof data?.details === "string" ? data.details : undefined;
  return { code, title, ...(details !== undefined ? { details } : {}) };
}

export function sendOutcomeOf(answer: GraphAnswer): SendOutcome {
  const after = answer.retryAfterMs !== undefined ? { afterMs: answer.retryAfterMs } : {};
  if (answer.status >= 200 && answer.status < 300) {
    const id = (answer.body as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
    return typeof id === "string" && id.length > 0
      ? { kind: "sent", carrierId: id }
      : { kind: "retry", reason: `Meta answered HTTP ${answer.status} without a message id` };
  }
  const error = graphErrorOf(answer.body);
  if (answer.status === 429 || answer.status >= 500 || (error && RETRIED_CODES.has(error.code)))
    return {
      kind: "retry",
      reason: `Meta answered HTTP ${answer.status}${error ? ` (#${error.code} ${error.title})` : ""}`,
      ...after,
    };
  return {
    kind: "failed",
    error: error ?? {
      code: 131000,
      title: `Meta answered HTTP ${answer.status}`,
      details: "no Graph error object",
    },
  };
}
