/**
 * What a batch of carrier events does to messages: each status move and the webhooks (and SMS
 * failovers) the moves owe, decided by a pure function the store calls inside its transaction.
 */
import type { Account, Sender } from "./account.ts";
import type { AccountSubscriptions } from "./event-subscription.ts";
import type { StoredMessage } from "./message.ts";
import type { CarrierEvent, Transition } from "./message-status.ts";
import type { NewWebhook } from "./webhook.ts";

/** A carrier event for the message stored under `seq`. */
export interface MessageEventInput {
  readonly seq: number;
  readonly event: CarrierEvent;
}

/** What a batch of carrier events amounts to: each status move, and the webhooks the moves owe. */
export interface EventsPlan {
  readonly moves: readonly {
    readonly seq: number;
    readonly from: StoredMessage["status"];
    readonly transition: Transition;
  }[];
  readonly webhooks: readonly NewWebhook[];
  /** Messages whose SMS failover the moves start (stored in the same transaction). */
  readonly failovers?: readonly { readonly seq: number; readonly at: number }[];
}

/**
 * Decides, inside the store's transaction, what events do to messages as they are now (in order;
 * several events may concern one message). Pure and synchronous so every adapter can call it
 * between reading and writing the rows.
 */
export type PlanEvents = (
  items: readonly {
    readonly message: StoredMessage;
    readonly event: CarrierEvent;
    readonly account: Account;
    /** The message's sender number's record (its aliases in each dialect). */
    readonly sender: Sender;
    /** The account's event subscriptions (its reports are routed by them). */
    readonly subscriptions: AccountSubscriptions;
  }[],
) => EventsPlan;
