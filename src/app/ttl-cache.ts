/**
 * A small read-through cache with a time limit, for lookups on hot paths (API keys, senders).
 * Entries go stale after `ttlMs`, so every node sees changes made by others within that time.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached value if it is fresh; `undefined` (a miss) otherwise. Synchronous, for hot paths. */
  peek(key: K): V | undefined {
    const hit = this.#entries.get(key);
    return hit && hit.until > Date.now() ? hit.value : undefined;
  }

  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = await load(key);
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, until: now + this.ttlMs });
    return value;
  }

  /** Loads `key` again, whatever the cache holds. */
  async refresh(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const value = await load(key);
    this.#entries.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}
