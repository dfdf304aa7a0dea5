/**
 * Downloads media from a link, as WhatsApp's servers do for a message sent by link: GET, follow up
 * to five redirects (each hop checked again), read at most `cap + 1` bytes while hashing them.
 * Unless private addresses are allowed (tests, local development), a host that is or resolves to
 * a private address is refused before any byte is sent to it.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { Agent, request } from "undici";
import { type FetchedMedia, isAnimatedWebp } from "../core/media-rules.ts";
import { guardedLookup, isPrivateAddress, literalAddress } from "./address-guard.ts";

const MAX_REDIRECTS = 5;

export type FetchOutcome =
  | { readonly ok: true; readonly media: FetchedMedia }
  | { readonly ok: false; readonly details: string };
/** An opened link: its media type (without parameters, lower case) and its body, to be read. */
export type DownloadOutcome =
  | { readonly ok: true; readonly contentType: string; readonly body: Readable }
  | { readonly ok: false; readonly details: string };

export class MediaFetcher {
  readonly #agent: Agent;

  constructor(private readonly options: { readonly allowPrivate: boolean; readonly timeoutMs: number }) {
    this.#agent = new Agent({
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connections: 16,
      ...(options.allowPrivate ? {} : { connect: { lookup: guardedLookup } }),
    });
  }

  /** Fetches `url`, reading at most `cap + 1` bytes. Never throws. */
  async fetch(url: string, cap: number): Promise<FetchOutcome> {
    const opened = await this.#open(url);
    if (!opened.ok) return opened;
    try {
      return { ok: true, media: await readBody(url, opened.res, cap) };
    } catch (err) {
      return failure(err);
    }
  }

  /**
   * Opens `url` for its bytes (a user's inbound media): the caller reads the body, with the same
   * guard, redirects and time limit as `fetch`. Never throws.
   */
  async download(url: string): Promise<DownloadOutcome> {
    const opened = await this.#open(url);
    if (!opened.ok) return opened;
    const contentType =
      String(opened.res.headers["content-type"] ?? "")
        .split(";")[0]
        ?.trim()
        .toLowerCase() ?? "";
    return { ok: true, contentType, body: opened.res.body };
  }

  /** GET `url`, following redirects (each hop checked again), up to a 200. */
  async #open(url: string): Promise<{ ok: true; res: Response } | { ok: false; details: string }> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let current = url;
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const target = new URL(current);
        if (target.protocol !== "http:" && target.protocol !== "https:")
          return fail(`Unsupported link scheme ${target.protocol}`);
        const literal = literalAddress(target.hostname);
        if (!this.options.allowPrivate && literal && isPrivateAddress(literal)) {
          return fail(`Downloading media from weblink failed: ${target.hostname} is a private address`);
        }
        const res = await request(target, {
          method: "GET",
          dispatcher: this.#agent,
          signal,
          headers: { accept: "*/*", "user-agent": "OpenBSP media fetcher" },
        });
        if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
          await res.body.dump();
          current = new URL(String(res.headers.location), target).href;
          continue;
        }
        if (res.statusCode !== 200) {
          await res.body.dump();
          return fail(
            `Downloading media from weblink failed with http code ${res.statusCode}, status message ${statusText(res.statusCode)}`,
          );
        }
        return { ok: true, res };
      }
      return fail(`Downloading media from weblink failed: more than ${MAX_REDIRECTS} redirects`);
    } catch (err) {
      return failure(err);
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

const fail = (details: string) => ({ ok: false, details }) as const;

function failure(err: unknown): { ok: false; details: string } {
  const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  const reason =
    e.code === "EPRIVATEADDRESS" || e.cause?.code === "EPRIVATEADDRESS"
      ? (e.cause?.message ?? e.message)
      : e.message;
  return fail(`Downloading media from weblink failed: ${reason}`);
}

function statusText(code: number): string {
  return (
    (
      {
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        410: "Gone",
        500: "Internal Server Error",
      } as Record<number, string>
    )[code] ?? "Error"
  );
}

type Response = Awaited<ReturnType<typeof request>>;

async function readBody(url: string, res: Response, cap: number): Promise<FetchedMedia> {
  const contentType =
    String(res.headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim()
      .toLowerCase() ?? "";
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > cap) {
    res.body.destroy();
    return { url, contentType, size: declared, complete: false };
  }
  const hash = createHash("sha256");
  const head: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) {
      res.body.destroy();
      return { url, contentType, size, complete: false };
    }
    if (size - chunk.length < 32) head.push(chunk);
    hash.update(chunk);
  }
  const animated = contentType === "image/webp" && isAnimatedWebp(Buffer.concat(head).subarray(0, 32));
  return {
    url,
    contentType,
    size,
    complete: true,
    sha256: hash.digest("hex"),
    ...(animated ? { animated } : {}),
  };
}
