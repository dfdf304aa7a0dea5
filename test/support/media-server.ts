/**
 * A real HTTP server that hosts media for tests: files with a content type, redirects, and a
 * count of how often each path was fetched.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type Entry = { readonly type: string; readonly body: Buffer } | { readonly redirect: string };

export class MediaServer {
  readonly #entries = new Map<string, Entry>();
  readonly #hits = new Map<string, number>();
  #server: Server | undefined;
  #port = 0;

  /** Hosts `body` at `path` with `type`; returns its link. */
  put(path: string, type: string, body: Buffer | string): string {
    this.#entries.set(path, { type, body: Buffer.from(body) });
    return this.url(path);
  }

  /** Answers `path` with a 302 to `location`. */
  redirect(path: string, location: string): string {
    this.#entries.set(path, { redirect: location });
    return this.url(path);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  hits(path: string): number {
    return this.#hits.get(path) ?? 0;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      this.#hits.set(path, this.hits(path) + 1);
      const entry = this.#entries.get(path);
      if (!entry) return res.writeHead(404).end();
      if ("redirect" in entry) return res.writeHead(302, { location: entry.redirect }).end();
      res.writeHead(200, { "content-type": entry.type, "content-length": entry.body.length }).end(entry.body);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

export const sha256 = (body: Buffer | string) => createHash("sha256").update(body).digest("hex");

/** Bytes of `size` length that look like the given file type to nobody in particular. */
export const bytes = (size: number, seed = "x") => Buffer.alloc(size, seed);
