/**
 * A webhook receiver that records every attempt, failed ones included, with its headers and the
 * status it answered, so tests can check that retries keep their event id. What it answers is
 * decided per request by `respond`; it can also go away (connection refused) and come back on the
 * same port.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eventually } from "./harness.ts";

/** What kind of report a webhook carries, read from its Infobip `results[0]`. */
export type ReportKind = "delivery" | "seen" | "other";

export interface Attempt {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: payloads are asserted on field by field
  readonly body: any;
  /** The event id from the `webhook-id` header. */
  readonly eventId: string;
  readonly messageId: string | undefined;
  readonly kind: ReportKind;
  /** The status this receiver answered. */
  readonly status: number;
  readonly at: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Answer this much later (a slow receiver keeps webhooks in flight). */
  readonly delayMs?: number;
}

/** Decides the answer to one attempt; `previous` are the earlier attempts with the same event id. */
export type Responder = (attempt: Omit<Attempt, "status">, previous: readonly Attempt[]) => Answer;

export class RecordingReceiver {
  readonly attempts: Attempt[] = [];
  respond: Responder = () => ({ status: 200 });
  /** Requests received and not yet answered. */
  inFlight = 0;
  #server: Server | undefined;
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(port = this.#port): Promise<this> {
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += String(d)));
      req.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
        // One POST may carry the reports of many messages (Infobip's `results[]`): record one
        // attempt per report, each with a body holding just that report.
        const results = (body as { results?: Record<string, unknown>[] } | undefined)?.results ?? [undefined];
        const partials = results.map((first) => ({
          path: req.url ?? "",
          headers: req.headers,
          body: first === undefined ? body : { ...(body as object), results: [first] },
          eventId: String(req.headers["webhook-id"] ?? ""),
          messageId: typeof first?.messageId === "string" ? first.messageId : undefined,
          kind: (first && "seenAt" in first
            ? "seen"
            : first && "status" in first
              ? "delivery"
              : "other") as ReportKind,
          at: Date.now(),
        }));
        const partial = partials[0] as (typeof partials)[number];
        const answer = this.respond(
          partial,
          this.attempts.filter((a) => a.eventId === partial.eventId),
        );
        for (const p of partials) this.attempts.push({ ...p, status: answer.status });
        const reply = () => {
          this.inFlight--;
          res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end("{}");
        };
        this.inFlight++;
        if (answer.delayMs) setTimeout(reply, answer.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Goes away: open connections are cut and new ones refused until `start()` again. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Attempts this receiver accepted (answered 2xx). */
  accepted(path?: string): Attempt[] {
    return this.attempts.filter(
      (a) => a.status >= 200 && a.status < 300 && (path === undefined || a.path === path),
    );
  }

  /** Attempts it refused with an HTTP status. */
  refused(path?: string): Attempt[] {
    return this.attempts.filter(
      (a) => (a.status < 200 || a.status >= 300) && (path === undefined || a.path === path),
    );
  }

  /** Has a report of `kind` for each of `messageIds` been accepted? */
  hasAll(messageIds: readonly string[], kind: ReportKind, path?: string): boolean {
    const got = new Set(
      this.accepted(path)
        .filter((a) => a.kind === kind)
        .map((a) => a.messageId),
    );
    return messageIds.every((id) => got.has(id));
  }

  async waitForAll(messageIds: readonly string[], kind: ReportKind, ms = 8000, path?: string): Promise<void> {
    await eventually(
      () => this.hasAll(messageIds, kind, path),
      ms,
      `${kind} reports for ${messageIds.length} messages`,
    );
  }

  /** Every event id seen per `messageId kind`, over all attempts (failed ones included). */
  eventIdsByReport(path?: string): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const a of this.attempts) {
      if (path !== undefined && a.path !== path) continue;
      const key = `${a.messageId} ${a.kind}`;
      const ids = out.get(key) ?? new Set<string>();
      ids.add(a.eventId);
      out.set(key, ids);
    }
    return out;
  }
}
