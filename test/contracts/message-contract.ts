/** The MessageStore contract: idempotent inserts, leased claims, rescheduling, events planned in one write, TTL. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Storage } from "../../src/store/storage.ts";
import { account, message, type PlanLog, type StorageFactory, sender, T0, testPlan } from "./fixtures.ts";

export function defineMessageContract(name: string, factory: StorageFactory): void {
  describe(`MessageStore contract: ${name}`, () => {
    let storage: Storage;
    let log: PlanLog;
    beforeEach(async () => {
      log = { calls: [] };
      storage = await factory(testPlan(log));
      await storage.catalog.upsertAccount(account());
      await storage.catalog.upsertSender(sender());
    });
    afterEach(() => storage.close());

    const seqOf = (o: { kind: string; seq?: number }) => {
      assert.equal(o.kind, "inserted");
      return o.seq as number;
    };

    it("inserts messages and reads them back as accepted, optional fields absent", async () => {
      const m = message({ messageId: "a" });
      const [outcome] = await storage.messages.insert([m]);
      const seq = seqOf(outcome as { kind: string; seq: number });
      const stored = await storage.messages.get("acc-1", "a");
      assert.deepEqual(stored, {
        seq,
        accountId: "acc-1",
        messageId: "a",
        face: "dialect-a",
        from: m.from,
        to: m.to,
        content: m.content,
        status: "accepted",
        acceptedAt: T0,
        expiresAt: m.expiresAt,
        attempts: 0,
      });
      assert.equal(await storage.messages.get("acc-1", "nope"), undefined);
      assert.equal(await storage.messages.get("acc-2", "a"), undefined, "ids are per account");
    });

    it("keeps every field a message is stored with", async () => {
      const m = message({
        messageId: "full",
        bulkId: "bulk",
        callbackData: "cb",
        notifyUrl: "http://n",
        entityId: "e",
        applicationId: "app",
        replyTo: "wamid.q",
        smsFailover: { from: "InfoSMS", text: "Hi by SMS" },
        category: "MARKETING",
        content: {
          type: "template",
          templateName: "welcome",
          language: "en",
          bodyPlaceholders: ["Ann"],
          buttons: [],
        },
      });
      await storage.messages.insert([m]);
      const { shortLinks: _, ...asked } = m;
      const stored = await storage.messages.get("acc-1", "full");
      assert.ok(stored);
      const { seq: _seq, status, attempts, ...rest } = stored;
      assert.deepEqual(rest, asked);
      assert.equal(status, "accepted");
      assert.equal(attempts, 0);
    });

    it("answers an id already stored with the stored message and changes nothing", async () => {
      const [first] = await storage.messages.insert([
        message({ messageId: "dup", content: { type: "text", text: "one", previewUrl: false } }),
      ]);
      const [again, other] = await storage.messages.insert([
        message({ messageId: "dup", content: { type: "text", text: "two", previewUrl: false } }),
        message({ messageId: "new" }),
      ]);
      assert.equal(again?.kind, "duplicate");
      assert.equal(
        again?.kind === "duplicate" && again.existing.seq,
        first?.kind === "inserted" && first.seq,
      );
      assert.deepEqual(again?.kind === "duplicate" && again.existing.content, {
        type: "text",
        text: "one",
        previewUrl: false,
      });
      assert.equal(other?.kind, "inserted");
      assert.ok(
        other?.kind === "inserted" && first?.kind === "inserted" && other.seq > first.seq,
        "seqs grow",
      );
    });

    it("stores a message's short links with it, and not those of a repeat", async () => {
      await storage.messages.insert([
        message({
          messageId: "l",
          shortLinks: [{ code: "abc", url: "https://x.example/1", trackingUrl: "http://t" }],
        }),
      ]);
      await storage.messages.insert([
        message({ messageId: "l", shortLinks: [{ code: "def", url: "https://x.example/2" }] }),
      ]);
      assert.deepEqual(await storage.links.findShortLink("abc"), {
        code: "abc",
        accountId: "acc-1",
        messageId: "l",
        url: "https://x.example/1",
        trackingUrl: "http://t",
        createdAt: T0,
      });
      assert.equal(await storage.links.findShortLink("def"), undefined);
    });

    it("claims the oldest due messages up to a limit, counting attempts; a held lease is not claimed again", async () => {
      await storage.messages.insert([
        message({ messageId: "late", acceptedAt: T0 + 20 }),
        message({ messageId: "early", acceptedAt: T0 }),
        message({ messageId: "mid", acceptedAt: T0 + 10 }),
      ]);
      assert.deepEqual(
        await storage.messages.claim(T0 - 1, 10, T0 + 1000),
        [],
        "nothing is due before it was accepted",
      );
      const first = await storage.messages.claim(T0 + 20, 2, T0 + 1000);
      // Which ones are claimed is the contract; the order they come back in is not.
      assert.deepEqual(first.map((m) => m.messageId).sort(), ["early", "mid"]);
      assert.deepEqual(
        first.map((m) => m.attempts),
        [1, 1],
      );
      const second = await storage.messages.claim(T0 + 20, 10, T0 + 1000);
      assert.deepEqual(
        second.map((m) => m.messageId),
        ["late"],
      );
      assert.deepEqual(await storage.messages.claim(T0 + 999, 10, T0 + 2000), [], "leases still held");
    });

    it("frees a message again once its lease runs out", async () => {
      await storage.messages.insert([message({ messageId: "a" })]);
      await storage.messages.claim(T0, 10, T0 + 1000);
      const again = await storage.messages.claim(T0 + 1000, 10, T0 + 2000);
      assert.deepEqual(
        again.map((m) => [m.messageId, m.attempts]),
        [["a", 2]],
      );
    });

    it("reschedules claimed messages: not due before their next attempt, due at it", async () => {
      await storage.messages.insert([message({ messageId: "a" })]);
      const [m] = await storage.messages.claim(T0, 10, T0 + 30_000);
      await storage.messages.reschedule([{ seq: (m as { seq: number }).seq, nextAttemptAt: T0 + 500 }]);
      assert.deepEqual(await storage.messages.claim(T0 + 499, 10, T0 + 30_000), []);
      assert.deepEqual(
        (await storage.messages.claim(T0 + 500, 10, T0 + 30_000)).map((x) => x.messageId),
        ["a"],
      );
    });

    it("releaseAllLeases frees every held lease at once", async () => {
      await storage.messages.insert([message({ messageId: "a" })]);
      await storage.messages.claim(T0, 10, T0 + 30_000);
      await storage.releaseAllLeases();
      assert.deepEqual(
        (await storage.messages.claim(T0, 10, T0 + 30_000)).map((x) => x.messageId),
        ["a"],
      );
    });

    it("releaseOwnLeases frees the leases this node holds, so another claim takes the work at once", async () => {
      await storage.messages.insert([message({ messageId: "a" })]);
      assert.equal((await storage.messages.claim(T0, 10, T0 + 30_000)).length, 1);
      assert.deepEqual(await storage.messages.claim(T0, 10, T0 + 30_000), []);
      await storage.releaseOwnLeases();
      assert.deepEqual(
        (await storage.messages.claim(T0 + 1, 10, T0 + 30_000)).map((x) => x.messageId),
        ["a"],
      );
    });

    it("backlog counts the messages waiting for dispatch and the earliest one's due time", async () => {
      assert.deepEqual(await storage.messages.backlog(), { waiting: 0 });
      const [a, b] = (
        await storage.messages.insert([message({ messageId: "a" }), message({ messageId: "b" })])
      ).map((o) => seqOf(o));
      assert.deepEqual(await storage.messages.backlog(), { waiting: 2, earliestDueAt: T0 });
      await storage.messages.claim(T0, 1, T0 + 30_000);
      await storage.messages.reschedule([{ seq: a as number, nextAttemptAt: T0 + 500 }]);
      await storage.messages.applyEvents([{ seq: b as number, event: { kind: "sent", at: T0 + 1 } }]);
      assert.deepEqual(await storage.messages.backlog(), { waiting: 1, earliestDueAt: T0 + 500 });
    });

    it("migrations: every migration the code knows is applied", async () => {
      const m = await storage.migrations();
      assert.ok(m.known > 0);
      assert.equal(m.applied, m.known);
    });

    it("applies events with the plan: statuses move, timestamps and errors are kept, webhooks are queued", async () => {
      const [a, b] = (
        await storage.messages.insert([message({ messageId: "a" }), message({ messageId: "b" })])
      ).map((o) => seqOf(o));
      const error = { code: 131026, title: "Message undeliverable" };
      const moved = await storage.messages.applyEvents([
        { seq: a as number, event: { kind: "sent", at: T0 + 1 } },
        { seq: a as number, event: { kind: "delivered", at: T0 + 2 } },
        { seq: b as number, event: { kind: "failed", at: T0 + 3, error } },
      ]);
      assert.equal(moved, 3);
      const ma = await storage.messages.get("acc-1", "a");
      assert.equal(ma?.status, "delivered");
      assert.equal(ma?.sentAt, T0 + 1);
      assert.equal(ma?.doneAt, T0 + 2);
      const mb = await storage.messages.get("acc-1", "b");
      assert.equal(mb?.status, "failed");
      assert.deepEqual(mb?.error, error);
      assert.equal(mb?.doneAt, T0 + 3);
      const hooks = (await storage.outbox.claim(T0 + 10, 10, T0 + 1000)).map((w) => w.id).sort();
      assert.deepEqual(hooks, [`move-${a}-delivered`, `move-${a}-sent`, `move-${b}-failed`].sort());
      // A message that was claimed is no longer due once it moved on.
      assert.deepEqual(await storage.messages.claim(T0 + 10, 10, T0 + 1000), []);
    });

    it("hands the plan each message as stored with its account and its sender (a missing sender by number alone)", async () => {
      const [a, b] = (
        await storage.messages.insert([
          message({ messageId: "a" }),
          message({ messageId: "b", from: "449999" }),
        ])
      ).map((o) => seqOf(o));
      await storage.messages.applyEvents([
        { seq: a as number, event: { kind: "sent", at: T0 + 1 } },
        { seq: b as number, event: { kind: "sent", at: T0 + 1 } },
        { seq: 999_999, event: { kind: "sent", at: T0 + 1 } },
      ]);
      const items = log.calls.at(-1) ?? [];
      assert.equal(items.length, 2, "an unknown seq is left out");
      assert.equal(items[0]?.message.messageId, "a");
      assert.equal(items[0]?.message.status, "accepted");
      assert.deepEqual(items[0]?.account, account());
      assert.deepEqual(items[0]?.sender, sender());
      assert.deepEqual(items[1]?.sender, { number: "449999", accountId: "acc-1", wabaId: "", aliases: {} });
    });

    it("a repeated or backward event changes nothing and queues nothing", async () => {
      const [a] = (await storage.messages.insert([message({ messageId: "a" })])).map((o) => seqOf(o));
      await storage.messages.applyEvents([{ seq: a as number, event: { kind: "delivered", at: T0 + 1 } }]);
      const before = (await storage.outbox.counts()).pending;
      assert.equal(
        await storage.messages.applyEvents([{ seq: a as number, event: { kind: "delivered", at: T0 + 2 } }]),
        0,
      );
      assert.equal(
        await storage.messages.applyEvents([{ seq: a as number, event: { kind: "sent", at: T0 + 3 } }]),
        0,
      );
      assert.equal((await storage.outbox.counts()).pending, before);
      assert.equal((await storage.messages.get("acc-1", "a"))?.doneAt, T0 + 1);
    });

    it("starts the SMS failover a move triggers, in the same write", async () => {
      const content = {
        type: "template" as const,
        templateName: "welcome",
        language: "en",
        bodyPlaceholders: [],
        buttons: [],
      };
      const [a] = (
        await storage.messages.insert([
          message({ messageId: "f", content, smsFailover: { from: "InfoSMS", text: "By SMS" } }),
        ])
      ).map((o) => seqOf(o));
      await storage.messages.applyEvents([
        { seq: a as number, event: { kind: "failed", at: T0 + 5, error: { code: 131026, title: "x" } } },
      ]);
      const [f] = await storage.smsFailovers.claim(T0 + 5, 10, T0 + 1000);
      assert.equal(f?.seq, a);
      assert.equal(f?.messageId, "f");
      assert.equal(f?.from, "InfoSMS");
      assert.equal(f?.text, "By SMS");
      assert.equal(f?.createdAt, T0 + 5);
    });

    it("keeps the carrier's id of a message and finds the message by it; an id is one message's only", async () => {
      const [a, b] = await storage.messages.insert([
        message({ messageId: "m-a" }),
        message({ messageId: "m-b" }),
      ]);
      const seqA = seqOf(a as { kind: string; seq?: number });
      const seqB = seqOf(b as { kind: string; seq?: number });
      assert.deepEqual(await storage.messages.byCarrierId(["wamid.A"]), new Map());
      await storage.messages.setCarrierIds([{ seq: seqA, carrierId: "wamid.A" }]);
      await storage.messages.setCarrierIds([{ seq: seqB, carrierId: "wamid.A" }]);
      await storage.messages.setCarrierIds([{ seq: seqB, carrierId: "wamid.B" }]);
      assert.deepEqual(
        await storage.messages.byCarrierId(["wamid.A", "wamid.B", "wamid.none"]),
        new Map([
          ["wamid.A", { seq: seqA, messageId: "m-a" }],
          ["wamid.B", { seq: seqB, messageId: "m-b" }],
        ]),
      );
    });

    it("lists messages not yet decided whose TTL has passed, soonest first, up to a limit", async () => {
      const [a, b, c, d] = (
        await storage.messages.insert([
          message({ messageId: "a", expiresAt: T0 + 30 }),
          message({ messageId: "b", expiresAt: T0 + 10 }),
          message({ messageId: "c", expiresAt: T0 + 20 }),
          message({ messageId: "d", expiresAt: T0 + 5 }),
        ])
      ).map((o) => seqOf(o));
      await storage.messages.applyEvents([
        { seq: c as number, event: { kind: "sent", at: T0 + 1 } },
        { seq: d as number, event: { kind: "delivered", at: T0 + 1 } },
      ]);
      assert.deepEqual(
        await storage.messages.overdue(T0 + 20, 10),
        [b, c],
        "a sent one still expires; a delivered one does not",
      );
      assert.deepEqual(await storage.messages.overdue(T0 + 30, 1), [b]);
      assert.deepEqual(await storage.messages.overdue(T0 + 4, 10), []);
      assert.ok(a);
    });
  });
}
