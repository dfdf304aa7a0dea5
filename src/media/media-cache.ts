/**
 * Remembers what was fetched from each exact link for 10 minutes of the (sandbox) clock, as Meta
 * does: a link sent again within that time is not fetched again. Concurrent requests for one link
 * share one download. Only complete downloads are kept; a failure or a file cut short at the size
 * cap is tried again next time.
 */
import type { Clock } from "../core/clock.ts";
import { type FetchedMedia, isCacheFresh } from "../core/media-rules.ts";
import type { FetchOutcome, MediaFetcher } from "./media-fetcher.ts";

const MAX_ENTRIES = 10_000;

export class MediaCache {
  readonly #done = new Map<string, { media: FetchedMedia; fetchedAt: number }>();
  readonly #inFlight = new Map<string, Promise<FetchOutcome>>();

  constructor(
    private readonly fetcher: MediaFetcher,
    private readonly clock: Clock,
  ) {}

  async get(url: string, cap: number): Promise<FetchOutcome> {
    const now = this.clock.now();
    const hit = this.#done.get(url);
    if (hit && isCacheFresh(hit.fetchedAt, now)) return { ok: true, media: hit.media };
    // Keyed with the cap too: a download cut short for an image says nothing about a document.
    const key = `${cap} ${url}`;
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const download = this.fetcher.fetch(url, cap).then((outcome) => {
      this.#inFlight.delete(key);
      if (outcome.ok && outcome.media.complete) this.#keep(url, outcome.media, now);
      return outcome;
    });
    this.#inFlight.set(key, download);
    return download;
  }

  #keep(url: string, media: FetchedMedia, fetchedAt: number): void {
    if (this.#done.size >= MAX_ENTRIES) {
      const now = this.clock.now();
      for (const [key, entry] of this.#done) if (!isCacheFresh(entry.fetchedAt, now)) this.#done.delete(key);
      if (this.#done.size >= MAX_ENTRIES) this.#done.clear();
    }
    this.#done.set(url, { media, fetchedAt });
  }
}
