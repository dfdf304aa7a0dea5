/**
 * Read receipts and typing indicators of a Meta-carried sender, passed on to Meta's Cloud API:
 * `{"status":"read","message_id":<the user's wamid>}`, with `typing_indicator` for typing (Meta
 * shows it until the business answers, or 25 s). Best effort, as at Meta: a failure is logged.
 */
import type { Logger } from "pino";
import type { Lookups } from "../../app/lookups.ts";
import { metaCarrierOf } from "../../core/account.ts";
import type { ChatSignals, ReadReceipt, TypingIndicator } from "../chat-signals.ts";
import type { GraphClient } from "./graph-client.ts";

export class MetaChatSignals implements ChatSignals {
  constructor(
    private readonly lookups: Lookups,
    private readonly graph: GraphClient,
    private readonly log: Logger,
    /** Where a sender not carried by Meta shows them (the simulated network). */
    private readonly otherwise: ChatSignals,
  ) {}

  async read(receipt: ReadReceipt): Promise<void> {
    if (!(await this.#post(receipt.sender, receipt.messageId, false))) await this.otherwise.read(receipt);
  }

  /** Meta ties the indicator to a received message: one shown without one is not passed on. */
  async typing(indicator: TypingIndicator): Promise<void> {
    if (!(await this.#post(indicator.sender, indicator.messageId, true)))
      await this.otherwise.typing(indicator);
  }

  /** False when the sender is not Meta-carried. */
  async #post(number: string, messageId: string | undefined, typing: boolean): Promise<boolean> {
    const sender = await this.lookups.sender(number);
    const meta = sender && metaCarrierOf(sender);
    if (!meta) return false;
    if (messageId === undefined) {
      this.log.debug({ sender: number }, "a typing indicator without a message is not passed on to Meta");
      return true;
    }
    try {
      const answer = await this.graph.postJson(meta, `${meta.phoneNumberId}/messages`, {
        messaging_product: "whatsapp",
        status: "read",
        message_id: messageId,
        ...(typing ? { typing_indicator: { type: "text" } } : {}),
      });
      if (answer.status >= 300)
        this.log.warn({ status: answer.status, messageId }, "Meta refused a read receipt");
    } catch (err) {
      this.log.warn(
        { err: (err as Error).message, messageId },
        "Meta could not be reached for a read receipt",
      );
    }
    return true;
  }
}
