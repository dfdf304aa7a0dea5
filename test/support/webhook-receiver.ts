/**
 * A real HTTP webhook receiver for tests: records every POST, and can be made to fail (answer
 * 503) or to go away entirely and come back on the same port.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eventually } from "./harness.ts";

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: payloads are asserted on field by field
  readonly body: any;
  readonly raw: string;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Answer with this status instead of 200 (e.g. 503 to simulate a failing receiver). */
  failWith: number | undefined;
  failures = 0;
  /**
   * Answer Meta's subscription handshake (a GET with hub.mode=subscribe) with the challenge when
   * it carries this verify token; unset, it is answered `{}` (no echo: the handshake fails).
   */
  verifyToken: string | undefined;
  /** The handshakes this receiver was asked (each GET's query; not in `received`). */
  readonly handshakes: URLSearchParams[] = [];
  #server: Server | undefined;
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(port = this.#port): Promise<this> {
    this.#server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += String(d)));
      req.on("end", () => {
        const query = new URL(req.url ?? "/", "http://x").searchParams;
        if (req.method === "GET" && query.get("hub.mode") === "subscribe") {
          this.handshakes.push(query);
          const ok = this.verifyToken !== undefined && query.get("hub.verify_token") === this.verifyToken;
          if (this.verifyToken === undefined)
            res.writeHead(200, { "content-type": "application/json" }).end("{}");
          else res.writeHead(ok ? 200 : 403).end(ok ? (query.get("hub.challenge") ?? "") : "");
          return;
        }
        if (this.failWith) {
          this.failures++;
          res.writeHead(this.failWith).end();
          return;
        }
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
        this.received.push({ path: req.url ?? "", headers: req.headers, body, raw });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(port, "127.0.0.1", resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Every result object POSTed to `path` (Infobip wraps reports in `results`). */
  // biome-ignore lint/suspicious/noExplicitAny: report results are asserted field by field
  results(path: string): any[] {
    return this.on(path).flatMap((r) => r.body?.results ?? []);
  }

  // biome-ignore lint/suspicious/noExplicitAny: see results()
  async waitForResult(path: string, match: (r: any) => boolean, ms = 5000): Promise<any> {
    return eventually(() => this.results(path).find(match), ms, `a webhook on ${path}`);
  }
}
