/** What the simulated WhatsApp network keeps: its rules, the phones' messages and the sandbox clock's offset. */
import type { ReadReceipt, TypingIndicator } from "../../carriers/chat-signals.ts";
import type { HandsetMessage } from "./handset-message.ts";
import type { SandboxRule } from "./sandbox-rule.ts";

export interface NetworkStore {
  /** The simulated clock survives restarts: stored times in its future must stay in the future. */
  clockOffset(): Promise<number>;
  saveClockOffset(offsetMs: number): Promise<void>;
  /**
   * Moves the stored offset forward by `ms` atomically (nodes of a cluster may advance it at once)
   * and answers the new offset, which every node's clock catches up with.
   */
  advanceClockOffset(ms: number): Promise<number>;
  /** Adds the rule, or replaces the one with its id. */
  putSandboxRule(rule: SandboxRule): Promise<void>;
  listSandboxRules(): Promise<SandboxRule[]>;
  deleteSandboxRule(id: string): Promise<boolean>;
  /**
   * Records messages reaching phones; a message already there is left alone (at-least-once
   * dispatch). One that arrives delivered ends its sender's typing indicator on that phone.
   */
  putHandsetMessages(messages: readonly HandsetMessage[]): Promise<void>;
  dueHandsetMessages(now: number, limit: number): Promise<HandsetMessage[]>;
  /** Moves phones' messages on, in one transaction; one becoming delivered ends its sender's typing indicator. */
  updateHandsetMessages(
    items: readonly { seq: number; state: HandsetMessage["state"]; nextEventAt: number | undefined }[],
  ): Promise<void>;
  listHandsetMessages(phone: string): Promise<HandsetMessage[]>;
  /** Records that a business read a user's message; marked again, the first reading stays. */
  putReadReceipt(receipt: ReadReceipt): Promise<void>;
  /** Every read receipt of the user's messages, oldest message first. */
  listReadReceipts(user: string): Promise<ReadReceipt[]>;
  /** Shows the sender typing on the user's phone until `until` (replacing an earlier indicator). */
  putTypingIndicator(indicator: TypingIndicator): Promise<void>;
  /** The typing indicators still shown on the user's phone at `now`. */
  typingIndicators(user: string, now: number): Promise<TypingIndicator[]>;
}
