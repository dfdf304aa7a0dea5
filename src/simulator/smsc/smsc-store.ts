/** What the simulated SMSC keeps: the SMS it received (with their receipts owed) and its rules. */
import type { SmscMessage } from "./smsc-message.ts";
import type { SmscRule } from "./smsc-rule.ts";

export interface SmscStore {
  /** Logs an SMS; an id already logged is left alone. */
  putSmscMessage(message: SmscMessage): Promise<void>;
  listSmscMessages(number: string): Promise<SmscMessage[]>;
  /** Receipts owed to a client (sent again when it binds). */
  pendingSmscReceipts(systemId: string): Promise<SmscMessage[]>;
  smscReceiptAcknowledged(id: string): Promise<void>;
  putSmscRule(rule: SmscRule): Promise<void>;
  listSmscRules(): Promise<SmscRule[]>;
  deleteSmscRule(id: string): Promise<boolean>;
}
