/** What the simulated WhatsApp network keeps: its rules, the phones' messages and the sandbox clock's offset. */
import type { HandsetMessage } from "./handset-message.ts";
import type { SandboxRule } from "./sandbox-rule.ts";

export interface NetworkStore {
  /** The simulated clock survives restarts: stored times in its future must stay in the future. */
  clockOffset(): Promise<number>;
  saveClockOffset(offsetMs: number): Promise<void>;
  /** Adds the rule, or replaces the one with its id. */
  putSandboxRule(rule: SandboxRule): Promise<void>;
  listSandboxRules(): Promise<SandboxRule[]>;
  deleteSandboxRule(id: string): Promise<boolean>;
  /** Records messages reaching phones; a message already there is left alone (at-least-once dispatch). */
  putHandsetMessages(messages: readonly HandsetMessage[]): Promise<void>;
  dueHandsetMessages(now: number, limit: number): Promise<HandsetMessage[]>;
  /** Moves phones' messages on, in one transaction. */
  updateHandsetMessages(
    items: readonly { seq: number; state: HandsetMessage["state"]; nextEventAt: number | undefined }[],
  ): Promise<void>;
  listHandsetMessages(phone: string): Promise<HandsetMessage[]>;
}
