/**
 * The console's live event stream: `GET /openbsp/1/events`, Server-Sent Events of what happens to
 * the account's messages (accepted, each status move), what its users write, its webhook attempts
 * and its templates' reviews. While any stream is open, one poller reads the workers' activity
 * feed (which records only while read) and the message log for messages accepted since; with no
 * stream open nothing runs and the accept path pays nothing.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ActivityEvent, ActivitySource } from "../app/activity-feed.ts";
import type { AppContext } from "../app/context.ts";
import type { Account } from "../core/account.ts";

const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;

interface Client {
  readonly account: Account;
  readonly reply: FastifyReply;
  /** The account's sender numbers and WABAs (inbound and template events are told by these). */
  readonly senders: ReadonlySet<string>;
  readonly wabas: ReadonlySet<string>;
}

export function liveEventRoutes(app: FastifyInstance, ctx: AppContext, source: ActivitySource): void {
  const clients = new Set<Client>();
  let cursor = Number.MAX_SAFE_INTEGER;
  /** The newest message seq each account's streams have been told of. */
  const lastSeq = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let beat = 0;

  const send = (c: Client, event: string, data: unknown) => {
    c.reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const mine = (c: Client, e: ActivityEvent) => {
    switch (e.type) {
      case "message":
      case "webhook":
        return e.accountId === c.account.id;
      case "inbound":
        return c.senders.has(e.to);
      case "template":
        return c.wabas.has(e.wabaId);
    }
  };

  const poll = async () => {
    timer = undefined;
    try {
      const page = await source.activity(cursor);
      cursor = page.cursor;
      for (const account of new Set([...clients].map((c) => c.account.id))) {
        const after = lastSeq.get(account) ?? 0;
        const fresh = await ctx.storage.messageLog.list({ accountId: account, afterSeq: after, limit: 500 });
        if (fresh.messages[0]) lastSeq.set(account, fresh.messages[0].seq);
        for (const c of clients) {
          if (c.account.id !== account) continue;
          for (const m of [...fresh.messages].reverse())
            send(c, "message", {
              type: "message",
              messageId: m.messageId,
              status: "accepted",
              to: m.to,
              from: m.from,
            });
        }
      }
      for (const c of clients) {
        if (page.gap) send(c, "reload", {});
        for (const e of page.events) if (mine(c, e)) send(c, e.type, e);
      }
      if (++beat * POLL_MS >= HEARTBEAT_MS) {
        beat = 0;
        for (const c of clients) c.reply.raw.write(": keep-alive\n\n");
      }
    } catch (err) {
      ctx.log.warn({ err }, "console event stream: poll failed");
    }
    if (clients.size > 0) timer = setTimeout(poll, POLL_MS);
  };

  app.get(
    "/openbsp/1/events",
    {
      schema: {
        tags: ["OpenBSP: console"],
        summary:
          "Live events (Server-Sent Events): message (accepted and each status), inbound, webhook (each attempt), template (reviewed)",
      },
    },
    async (req, reply) => {
      const senders = await ctx.storage.catalog.listAccountSenders(req.account.id);
      if (!lastSeq.has(req.account.id)) {
        const newest = await ctx.storage.messageLog.list({
          accountId: req.account.id,
          afterSeq: 0,
          limit: 1,
        });
        lastSeq.set(req.account.id, newest.messages[0]?.seq ?? 0);
      }
      const client: Client = {
        account: req.account,
        reply,
        senders: new Set(senders.map((s) => s.number)),
        wabas: new Set(senders.map((s) => s.wabaId)),
      };
      reply.hijack();
      reply.raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
        connection: "keep-alive",
      });
      reply.raw.write("retry: 1000\n\n");
      clients.add(client);
      req.raw.on("close", () => {
        clients.delete(client);
        // A stream opened later starts from what is new then, not from where this one stopped.
        if (![...clients].some((c) => c.account.id === client.account.id)) lastSeq.delete(client.account.id);
      });
      if (!timer) {
        // The first read turns the feed's recording on; what came before it is not replayed.
        if (clients.size === 1) cursor = (await source.activity(Number.MAX_SAFE_INTEGER)).cursor;
        timer = setTimeout(poll, POLL_MS);
      }
      // Said once recording is on: a page that (re)loads what it shows on hello misses nothing.
      send(client, "hello", { account: req.account.id });
    },
  );
  app.addHook("onClose", async () => {
    if (timer) clearTimeout(timer);
    for (const c of clients) c.reply.raw.end();
    clients.clear();
  });
}
