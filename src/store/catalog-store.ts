/** The catalog: accounts, their sender numbers and their templates. Read on every request; changed rarely. */
import type { Account, Sender } from "../core/account.ts";
import type { Template } from "../core/template.ts";
import type { NewWebhook } from "../core/webhook.ts";

export interface CatalogStore {
  /** Creates the account, or renames it and changes its secret and verification (its settings stay). */
  upsertAccount(account: Account): Promise<void>;
  getAccount(id: string): Promise<Account | undefined>;
  /** Every account, by id. */
  listAccounts(): Promise<Account[]>;
  /** Deletes the account and its senders (its messages and logs stay); false when there was none. */
  deleteAccount(id: string): Promise<boolean>;
  /**
   * Changes one dialect's settings of an account: each named key is set, or removed when null;
   * keys not named stay as they are.
   */
  updateAccountSettings(
    id: string,
    dialect: string,
    changes: Readonly<Record<string, string | null>>,
  ): Promise<void>;
  /** Creates or replaces the sender with its aliases (an alias another sender has is an error). */
  upsertSender(sender: Sender): Promise<void>;
  findSender(number: string): Promise<Sender | undefined>;
  /** The sender whose alias of that kind is `alias` (e.g. a face's own id for it). */
  findSenderByAlias(kind: string, alias: string): Promise<Sender | undefined>;
  /** Every sender whose carrier is of that kind (`meta`), by number. */
  listCarriedSenders(kind: string): Promise<Sender[]>;
  /** Every sender registered to a WABA. */
  listSenders(wabaId: string): Promise<Sender[]>;
  /** Every sender of an account, by number. */
  listAccountSenders(accountId: string): Promise<Sender[]>;
  /** Deletes the sender and its aliases; false when there was none. */
  deleteSender(number: string): Promise<boolean>;

  /** False when the WABA already has that name in that language (nothing is written then). */
  insertTemplate(template: Template, webhooks?: readonly NewWebhook[]): Promise<boolean>;
  /** Replaces the template, queueing `webhooks` (its status reports) in the same transaction. */
  updateTemplate(template: Template, webhooks?: readonly NewWebhook[]): Promise<void>;
  findTemplateById(id: string): Promise<Template | undefined>;
  getTemplate(wabaId: string, id: string): Promise<Template | undefined>;
  listTemplates(wabaId: string): Promise<Template[]>;
  findTemplatesByName(wabaId: string, name: string): Promise<Template[]>;
  /**
   * Deletes every language of `name` (or, given `id`, only that one of them) and, once no language
   * of the name is left, locks the name until `lockedUntil`; returns how many went.
   */
  deleteTemplatesByName(wabaId: string, name: string, lockedUntil: number, id?: string): Promise<number>;
  nameLockedUntil(wabaId: string, name: string, now: number): Promise<number | undefined>;
  pendingTemplatesDue(now: number, limit: number): Promise<Template[]>;
  /**
   * A store several nodes share announces each change to the catalog (accounts, senders,
   * templates) to every node, so caches drop it at once: calls `listener` after each committed
   * change, by any node; answers how to stop. Absent on a store only one process uses.
   */
  watchChanges?(listener: () => void): Promise<() => Promise<void>>;
}
