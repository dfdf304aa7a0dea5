/**
 * Cached reads for the accept path: API keys, senders and templates change rarely but are read on
 * every request. Entries live one second, so a change made on another node is seen within that;
 * changes made through this node drop the cached copy at once.
 */
import type { Account, Sender } from "../core/account.ts";
import type { Template } from "../core/template.ts";
import type { Store } from "../store/store.ts";
import { TtlCache } from "./ttl-cache.ts";

export class Lookups {
  readonly #accounts = new TtlCache<string, Account | undefined>(1000);
  readonly #senders = new TtlCache<string, Sender | undefined>(1000);
  readonly #templates = new TtlCache<string, Template[]>(1000);

  constructor(private readonly store: Store) {}

  accountByApiKey(apiKey: string): Promise<Account | undefined> {
    return this.#accounts.get(apiKey, (k) => this.store.findAccountByApiKey(k));
  }

  sender(number: string): Promise<Sender | undefined> {
    return this.#senders.get(number, (n) => this.store.findSender(n));
  }

  /** Every language registered under `name` in the WABA. */
  templates(wabaId: string, name: string): Promise<Template[]> {
    return this.#templates.get(`${wabaId}\u0000${name}`, () => this.store.findTemplatesByName(wabaId, name));
  }

  templatesChanged(): void {
    this.#templates.clear();
  }
}
