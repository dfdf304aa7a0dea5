/**
 * HTTP to Graph with the sender's token, over undici: JSON sends, media uploads and media
 * downloads, each with a time limit, so a hung Meta costs a retry, never a stuck dispatcher.
 */
import type { Readable } from "node:stream";
import { Agent, FormData, request } from "undici";
import type { MetaCarrierSettings } from "../../core/account.ts";
import type { GraphAnswer } from "./graph-answer.ts";

export type Download =
  | { readonly ok: true; readonly contentType: string; readonly body: Readable }
  | { readonly ok: false; readonly details: string };

export class GraphClient {
  readonly #agent: Agent;

  constructor(private readonly timeoutMs: number) {
    this.#agent = new Agent({ connections: 64, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  }

  url(s: MetaCarrierSettings, path: string): string {
    return `${s.baseUrl.replace(/\/+$/, "")}/${s.version}/${path}`;
  }

  async postJson(s: MetaCarrierSettings, path: string, body: unknown): Promise<GraphAnswer> {
    return this.#call(s, this.url(s, path), "POST", JSON.stringify(body), {
      "content-type": "application/json",
    });
  }

  async getJson(s: MetaCarrierSettings, path: string): Promise<GraphAnswer> {
    return this.#call(s, this.url(s, path), "GET");
  }

  /** `POST /{phone-number-id}/media`: multipart, as Meta takes uploads. */
  async upload(
    s: MetaCarrierSettings,
    bytes: Buffer,
    mimeType: string,
    filename: string,
  ): Promise<GraphAnswer> {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", mimeType);
    form.set("file", new Blob([new Uint8Array(bytes)], { type: mimeType }), filename);
    return this.#call(s, this.url(s, `${s.phoneNumberId}/media`), "POST", form);
  }

  /** A media URL Graph handed out (`GET /{media-id}`'s `url`): fetched with the same token. */
  async download(s: MetaCarrierSettings, url: string): Promise<Download> {
    try {
      const res = await request(url, {
        method: "GET",
        headers: { authorization: `Bearer ${s.accessToken}` },
        dispatcher: this.#agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        return { ok: false, details: `Meta's media URL answered HTTP ${res.statusCode}` };
      }
      const type = String(res.headers["content-type"] ?? "application/octet-stream").split(";")[0] ?? "";
      return { ok: true, contentType: type.trim(), body: res.body };
    } catch (err) {
      return { ok: false, details: `Meta's media URL could not be read: ${(err as Error).message}` };
    }
  }

  async #call(
    s: MetaCarrierSettings,
    url: string,
    method: "GET" | "POST",
    body?: string | FormData,
    headers: Record<string, string> = {},
  ): Promise<GraphAnswer> {
    const res = await request(url, {
      method,
      headers: { authorization: `Bearer ${s.accessToken}`, ...headers },
      ...(body !== undefined ? { body } : {}),
      dispatcher: this.#agent,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): kept as text.
    }
    const retryAfter = Number(res.headers["retry-after"]);
    return {
      status: res.statusCode,
      body: parsed,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
