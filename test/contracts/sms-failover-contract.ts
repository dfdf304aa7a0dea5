/** The SmsFailoverStore contract: failovers started by a message's failure, leased, submitted, finished once. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { SMS_VALIDITY_MS } from "../../src/core/sms-failover.ts";
import type { Storage } from "../../src/store/storage.ts";
import { account, message, type StorageFactory, sender, T0, testPlan, webhook } from "./fixtures.ts";

const content = {
  type: "template" as const,
  templateName: "welcome",
  language: "en",
  bodyPlaceholders: [],
  buttons: [],
};

export function defineSmsFailoverContract(name: string, factory: StorageFactory): void {
  describe(`SmsFailoverStore contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await factory(testPlan());
      await storage.catalog.upsertAccount(account());
      await storage.catalog.upsertSender(sender());
    });
    afterEach(() => storage.close());

    /** A template with a failover that WhatsApp failed at `at`: its failover is then due. */
    async function failedOver(messageId: string, at = T0, text = "By SMS"): Promise<number> {
      const [o] = await storage.messages.insert([
        message({ messageId, content, smsFailover: { from: "InfoSMS", text } }),
      ]);
      const seq = o?.kind === "inserted" ? o.seq : assert.fail("not inserted");
      await storage.messages.applyEvents([
        { seq, event: { kind: "failed", at, error: { code: 131026, title: "x" } } },
      ]);
      return seq;
    }

    it("a failover is pending from the failure on, valid for 48 hours, and leased when claimed", async () => {
      const seq = await failedOver("a", T0 + 5);
      assert.deepEqual(
        await storage.smsFailovers.claim(T0 + 4, 10, T0 + 1000),
        [],
        "not due before the failure",
      );
      const [f] = await storage.smsFailovers.claim(T0 + 5, 10, T0 + 1000);
      assert.deepEqual(f, {
        seq,
        accountId: "acc-1",
        messageId: "a",
        from: "InfoSMS",
        to: "447700900001",
        text: "By SMS",
        segments: 1,
        state: "pending",
        attempts: 1,
        createdAt: T0 + 5,
        expiresAt: T0 + 5 + SMS_VALIDITY_MS,
      });
      assert.deepEqual(await storage.smsFailovers.claim(T0 + 999, 10, T0 + 2000), [], "lease held");
      const [again] = await storage.smsFailovers.claim(T0 + 1000, 10, T0 + 2000);
      assert.equal(again?.attempts, 2, "a lease that ran out frees it");
    });

    it("counts the SMS parts of a long text", async () => {
      await failedOver("long", T0, "x".repeat(161));
      const [f] = await storage.smsFailovers.claim(T0, 10, T0 + 1000);
      assert.equal(f?.segments, 2);
    });

    it("a submitted SMS is found by the SMSC's id and no longer claimed", async () => {
      const seq = await failedOver("a");
      await storage.smsFailovers.claim(T0, 10, T0 + 1000);
      await storage.smsFailovers.submitted([{ seq, smscId: "smsc-1", at: T0 + 2 }]);
      const f = await storage.smsFailovers.findBySmscId("smsc-1");
      assert.equal(f?.state, "submitted");
      assert.equal(f?.smscId, "smsc-1");
      assert.equal(f?.submittedAt, T0 + 2);
      assert.equal(await storage.smsFailovers.findBySmscId("other"), undefined);
      assert.deepEqual(await storage.smsFailovers.claim(T0 + 5000, 10, T0 + 6000), []);
    });

    it("a rescheduled failover waits until its next attempt", async () => {
      const seq = await failedOver("a");
      await storage.smsFailovers.claim(T0, 10, T0 + 30_000);
      await storage.smsFailovers.reschedule([{ seq, nextAttemptAt: T0 + 700 }]);
      assert.deepEqual(await storage.smsFailovers.claim(T0 + 699, 10, T0 + 30_000), []);
      assert.equal((await storage.smsFailovers.claim(T0 + 700, 10, T0 + 30_000)).length, 1);
    });

    it("lists failovers not final whose validity ran out; they are no longer claimed", async () => {
      const a = await failedOver("a", T0);
      const b = await failedOver("b", T0 + 10);
      await storage.smsFailovers.claim(T0 + 10, 10, T0 + 20);
      await storage.smsFailovers.submitted([{ seq: b, smscId: "s-b", at: T0 + 11 }]);
      const overdue = await storage.smsFailovers.overdue(T0 + 10 + SMS_VALIDITY_MS, 10);
      assert.deepEqual(
        overdue.map((f) => f.seq),
        [a, b],
      );
      assert.deepEqual(
        (await storage.smsFailovers.overdue(T0 + SMS_VALIDITY_MS, 10)).map((f) => f.seq),
        [a],
      );
      assert.deepEqual(
        await storage.smsFailovers.claim(T0 + SMS_VALIDITY_MS, 10, T0 + SMS_VALIDITY_MS + 1),
        [],
        "expired: not submitted",
      );
    });

    it("finishes a failover once, with its webhooks; a second finish writes nothing", async () => {
      const seq = await failedOver("a");
      const outcome = { state: "delivered" as const, at: T0 + 9, errorCode: 0 };
      const before = (await storage.outbox.counts()).pending;
      assert.equal(await storage.smsFailovers.finish(seq, outcome, [webhook("sms-report")]), true);
      assert.equal(
        await storage.smsFailovers.finish(seq, { ...outcome, state: "undeliverable" }, [
          webhook("sms-again"),
        ]),
        false,
      );
      assert.equal((await storage.outbox.counts()).pending, before + 1);
      const [f] = await storage.smsFailovers.overdue(T0 + 2 * SMS_VALIDITY_MS, 10);
      assert.equal(f, undefined, "a final failover is never overdue");
      assert.deepEqual(await storage.smsFailovers.counts(), {
        pending: 0,
        submitted: 0,
        delivered: 1,
        undeliverable: 0,
        expired: 0,
        rejected: 0,
      });
    });

    it("keeps the outcome a failover finished with", async () => {
      const seq = await failedOver("a");
      await storage.smsFailovers.claim(T0, 10, T0 + 1000);
      await storage.smsFailovers.submitted([{ seq, smscId: "s-1", at: T0 + 1 }]);
      const outcome = { state: "undeliverable" as const, at: T0 + 9, errorCode: 1, reason: "UNDELIV" };
      await storage.smsFailovers.finish(seq, outcome, []);
      assert.deepEqual((await storage.smsFailovers.findBySmscId("s-1"))?.outcome, outcome);
      assert.equal((await storage.smsFailovers.findBySmscId("s-1"))?.state, "undeliverable");
    });

    it("releaseAllLeases frees leased failovers", async () => {
      await failedOver("a");
      await storage.smsFailovers.claim(T0, 10, T0 + 30_000);
      await storage.releaseAllLeases();
      assert.equal((await storage.smsFailovers.claim(T0, 10, T0 + 30_000)).length, 1);
    });
  });
}
