/**
 * Cached reads for the accept path: API keys, senders, templates and flows change rarely but are read on
 * every request. Entries live one second, so a change made elsewhere (another node, the workers'
 * reviewer) is seen within that; changes made through this thread drop the cached copy at once.
 * A lookup that would refuse a request (no such key, sender or approved template) is read again
 * from the store first, so a stale cache can delay a refusal by a second but never cause one.
 */
import type { Account, Sender } from "../core/account.ts";
import type { Flow } from "../core/flow.ts";
import type { Template } from "../core/template.ts";
import { type ApiKeyStore, hashApiKey } from "../store/api-key-store.ts";
import type { CatalogStore } from "../store/catalog-store.ts";
import type { FlowStore } from "../store/flow-store.ts";
import { TtlCache } from "./ttl-cache.ts";

export class Lookups {
  readonly #accounts = new TtlCache<string, Account | undefined>(1000);
  readonly #senders = new TtlCache<string, Sender | undefined>(1000);
  readonly #templates = new TtlCache<string, Template[]>(1000);
  readonly #flows = new TtlCache<string, Flow | undefined>(1000);

  constructor(
    private readonly catalog: CatalogStore,
    private readonly flowStore: FlowStore,
    private readonly apiKeys: ApiKeyStore,
  ) {}

  /** Fresh cached values only, synchronously: the hot path tries these before awaiting the store. */
  peekAccount(apiKey: string): Account | undefined {
    return this.#accounts.peek(apiKey);
  }

  peekSender(number: string): Sender | undefined {
    return this.#senders.peek(number);
  }

  peekTemplates(wabaId: string, name: string): Template[] | undefined {
    return this.#templates.peek(`${wabaId}\u0000${name}`);
  }

  /** The account whose unrevoked key `apiKey` is (cached by the key itself: no hash on a hit). */
  async accountByApiKey(apiKey: string): Promise<Account | undefined> {
    const load = async (k: string) => {
      const key = await this.apiKeys.findActiveKey(hashApiKey(k));
      return key && this.catalog.getAccount(key.accountId);
    };
    return (await this.#accounts.get(apiKey, load)) ?? this.#accounts.refresh(apiKey, load);
  }

  /** An account, its keys or its settings changed here: drop every cached account at once. */
  accountsChanged(): void {
    this.#accounts.clear();
  }

  /** A sender was added, changed or removed here. */
  sendersChanged(): void {
    this.#senders.clear();
  }

  async sender(number: string): Promise<Sender | undefined> {
    const load = (n: string) => this.catalog.findSender(n);
    return (await this.#senders.get(number, load)) ?? this.#senders.refresh(number, load);
  }

  /**
   * Every language registered under `name` in the WABA. Pass `fresh` to bypass the cache, as a
   * caller about to refuse a send because of what the cache said should.
   */
  templates(wabaId: string, name: string, fresh = false): Promise<Template[]> {
    const load = () => this.catalog.findTemplatesByName(wabaId, name);
    const key = `${wabaId}\u0000${name}`;
    return fresh ? this.#templates.refresh(key, load) : this.#templates.get(key, load);
  }

  templatesChanged(): void {
    this.#templates.clear();
  }

  /** The catalog changed, through any node (a shared store says so): nothing cached is kept. */
  catalogChanged(): void {
    this.#accounts.clear();
    this.#senders.clear();
    this.#templates.clear();
    this.#flows.clear();
  }

  /**
   * A flow by id, for sends that open one. Pass `fresh` to bypass the cache, as a caller about to
   * refuse a send because of what the cache said should.
   */
  flow(id: string, fresh = false): Promise<Flow | undefined> {
    const load = (k: string) => this.flowStore.getFlow(k);
    return fresh ? this.#flows.refresh(id, load) : this.#flows.get(id, load);
  }

  peekFlow(id: string): Flow | undefined {
    return this.#flows.peek(id);
  }

  flowChanged(): void {
    this.#flows.clear();
  }
}
