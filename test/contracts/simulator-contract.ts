/** The SimulatorStore contract: the simulated network's rules, phones and clock offset; the simulated SMSC's log and rules. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { HandsetMessage } from "../../src/simulator/network/handset-message.ts";
import type { SimulatorStore } from "../../src/simulator/simulator-store.ts";
import type { SmscMessage } from "../../src/simulator/smsc/smsc-message.ts";
import { T0 } from "./fixtures.ts";

/** Makes a fresh, empty SimulatorStore and what closes it. */
export type SimulatorFactory = () => Promise<{ readonly store: SimulatorStore; close(): Promise<void> }>;

const handset = (seq: number, over: Partial<HandsetMessage> = {}): HandsetMessage => ({
  seq,
  phone: "447700900001",
  sender: "441134960000",
  messageId: `m-${seq}`,
  content: { type: "text", text: "Hi", previewUrl: false },
  state: "delivered",
  receivedAt: T0,
  expiresAt: T0 + 86_400_000,
  ...over,
});

const sms = (id: string, over: Partial<SmscMessage> = {}): SmscMessage => ({
  id,
  systemId: "openbsp",
  from: "InfoSMS",
  to: "447700900001",
  text: "Hi",
  dataCoding: 0,
  outcome: "delivered",
  receivedAt: T0,
  receipt: "pending",
  ...over,
});

export function defineSimulatorContract(name: string, factory: SimulatorFactory): void {
  describe(`SimulatorStore contract: ${name}`, () => {
    let sim: SimulatorStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      const made = await factory();
      sim = made.store;
      close = () => made.close();
    });
    afterEach(() => close());

    it("keeps the clock offset (0 until saved)", async () => {
      assert.equal(await sim.network.clockOffset(), 0);
      await sim.network.saveClockOffset(86_400_000);
      await sim.network.saveClockOffset(90_000_000);
      assert.equal(await sim.network.clockOffset(), 90_000_000);
      // Advances add up, even when they arrive at once (two nodes).
      const offsets = await Promise.all([
        sim.network.advanceClockOffset(1000),
        sim.network.advanceClockOffset(500),
      ]);
      // Either order, each on top of the other: 90 000 000 + 1000 then + 500, or + 500 then + 1000.
      const order = offsets.sort((a, b) => a - b).join(" ");
      assert.ok(["90000500 90001500", "90001000 90001500"].includes(order), order);
      assert.equal(await sim.network.clockOffset(), 90_001_500);
    });

    it("adds, replaces, lists (oldest first) and deletes network rules; a read delay of null stays null", async () => {
      await sim.network.putSandboxRule({
        id: "b",
        pattern: "4477*",
        behaviour: "offline",
        createdAt: T0 + 1,
      });
      await sim.network.putSandboxRule({
        id: "a",
        pattern: "44770090000*",
        behaviour: "deliver",
        deliverDelayMs: 5,
        readDelayMs: null,
        createdAt: T0,
      });
      await sim.network.putSandboxRule({
        id: "c",
        pattern: "1*",
        behaviour: "fail",
        errorCode: 131000,
        errorTitle: "t",
        readDelayMs: 7,
        createdAt: T0 + 2,
      });
      await sim.network.putSandboxRule({
        id: "b",
        pattern: "4478*",
        behaviour: "not_whatsapp",
        createdAt: T0 + 1,
      });
      assert.deepEqual(await sim.network.listSandboxRules(), [
        {
          id: "a",
          pattern: "44770090000*",
          behaviour: "deliver",
          deliverDelayMs: 5,
          readDelayMs: null,
          createdAt: T0,
        },
        { id: "b", pattern: "4478*", behaviour: "not_whatsapp", createdAt: T0 + 1 },
        {
          id: "c",
          pattern: "1*",
          behaviour: "fail",
          errorCode: 131000,
          errorTitle: "t",
          readDelayMs: 7,
          createdAt: T0 + 2,
        },
      ]);
      assert.equal(await sim.network.deleteSandboxRule("b"), true);
      assert.equal(await sim.network.deleteSandboxRule("b"), false);
      assert.deepEqual(
        (await sim.network.listSandboxRules()).map((r) => r.id),
        ["a", "c"],
      );
    });

    it("puts messages on phones once, lists a phone's, moves them on when due", async () => {
      const media = { url: "http://m/1.png", contentType: "image/png", size: 3, sha256: "x" };
      await sim.network.putHandsetMessages([
        handset(1, { nextEventAt: T0 + 10, readDelayMs: 10, media, replyTo: "wamid.q" }),
        handset(2, { state: "in_transit", nextEventAt: T0 + 5, cardMedia: [media] }),
        handset(3, { phone: "447700900002" }),
      ]);
      await sim.network.putHandsetMessages([
        handset(1, { content: { type: "text", text: "other", previewUrl: false } }),
      ]);
      assert.deepEqual(await sim.network.listHandsetMessages("447700900001"), [
        handset(1, { nextEventAt: T0 + 10, readDelayMs: 10, media, replyTo: "wamid.q" }),
        handset(2, { state: "in_transit", nextEventAt: T0 + 5, cardMedia: [media] }),
      ]);
      assert.deepEqual(
        (await sim.network.dueHandsetMessages(T0 + 10, 10)).map((h) => h.seq),
        [2, 1],
        "soonest first",
      );
      assert.deepEqual(
        (await sim.network.dueHandsetMessages(T0 + 10, 1)).map((h) => h.seq),
        [2],
      );
      await sim.network.updateHandsetMessages([
        { seq: 2, state: "delivered", nextEventAt: T0 + 20 },
        { seq: 1, state: "read", nextEventAt: undefined },
      ]);
      assert.deepEqual(
        (await sim.network.dueHandsetMessages(T0 + 10, 10)).map((h) => h.seq),
        [],
      );
      assert.deepEqual(
        (await sim.network.dueHandsetMessages(T0 + 20, 10)).map((h) => [h.seq, h.state]),
        [[2, "delivered"]],
      );
      assert.equal((await sim.network.listHandsetMessages("447700900001"))[0]?.state, "read");
    });

    it("keeps a user's read receipts, the first reading of a message winning", async () => {
      const receipt = {
        sender: "441134960000",
        user: "447700900001",
        messageId: "wamid.b",
        sentAt: T0 + 5,
        readAt: T0 + 10,
      };
      await sim.network.putReadReceipt(receipt);
      await sim.network.putReadReceipt({ ...receipt, messageId: "wamid.a", sentAt: T0, readAt: T0 + 20 });
      await sim.network.putReadReceipt({ ...receipt, readAt: T0 + 30 });
      await sim.network.putReadReceipt({ ...receipt, user: "447700900002", messageId: "wamid.c" });
      assert.deepEqual(await sim.network.listReadReceipts("447700900001"), [
        { ...receipt, messageId: "wamid.a", sentAt: T0, readAt: T0 + 20 },
        receipt,
      ]);
      assert.deepEqual(await sim.network.listReadReceipts("447700900009"), []);
    });

    it("shows a typing indicator until it runs out or the sender's next message reaches the phone", async () => {
      const typing = { sender: "441134960000", user: "447700900001", until: T0 + 25_000 };
      await sim.network.putTypingIndicator(typing);
      await sim.network.putTypingIndicator({ ...typing, sender: "441134960001" });
      assert.deepEqual(await sim.network.typingIndicators("447700900001", T0), [
        typing,
        { ...typing, sender: "441134960001" },
      ]);
      assert.deepEqual(
        await sim.network.typingIndicators("447700900001", T0 + 25_000),
        [],
        "gone once `until` is reached",
      );
      // Another sender's message, or one still on its way, leaves the indicator alone.
      await sim.network.putHandsetMessages([
        handset(1, { sender: "441134960001", state: "in_transit", nextEventAt: T0 + 5 }),
      ]);
      await sim.network.putHandsetMessages([handset(2, { phone: "447700900002" })]);
      assert.equal((await sim.network.typingIndicators("447700900001", T0)).length, 2);
      // A message arriving delivered, and one delivered later, end their sender's indicator.
      await sim.network.putHandsetMessages([handset(3)]);
      assert.deepEqual(await sim.network.typingIndicators("447700900001", T0), [
        { ...typing, sender: "441134960001" },
      ]);
      await sim.network.updateHandsetMessages([{ seq: 1, state: "delivered", nextEventAt: undefined }]);
      assert.deepEqual(await sim.network.typingIndicators("447700900001", T0), []);
      // Shown again, then the same message put again (dispatch repeats itself): still shown.
      await sim.network.putTypingIndicator(typing);
      await sim.network.putHandsetMessages([handset(3)]);
      assert.deepEqual(await sim.network.typingIndicators("447700900001", T0), [typing]);
    });

    it("logs SMS once, lists a number's, owes receipts until acknowledged", async () => {
      await sim.smsc.putSmscMessage(sms("1"));
      await sim.smsc.putSmscMessage(sms("2", { receivedAt: T0 + 1, outcome: "undeliverable" }));
      await sim.smsc.putSmscMessage(sms("3", { to: "447700900002", receipt: "none", outcome: "rejected" }));
      await sim.smsc.putSmscMessage(sms("4", { systemId: "other" }));
      await sim.smsc.putSmscMessage(sms("1", { text: "again" }));
      assert.deepEqual(
        (await sim.smsc.listSmscMessages("447700900001")).map((m) => m.id),
        ["1", "4", "2"],
      );
      assert.deepEqual(await sim.smsc.listSmscMessages("447700900002"), [
        sms("3", { to: "447700900002", receipt: "none", outcome: "rejected" }),
      ]);
      assert.deepEqual(
        (await sim.smsc.pendingSmscReceipts("openbsp")).map((m) => m.id),
        ["1", "2"],
      );
      await sim.smsc.smscReceiptAcknowledged("1");
      assert.deepEqual(
        (await sim.smsc.pendingSmscReceipts("openbsp")).map((m) => m.id),
        ["2"],
      );
      assert.equal((await sim.smsc.listSmscMessages("447700900001"))[0]?.receipt, "acknowledged");
    });

    it("adds, replaces, lists and deletes SMSC rules", async () => {
      await sim.smsc.putSmscRule({
        id: "a",
        pattern: "4477*",
        behaviour: "undeliverable",
        errorCode: 1,
        createdAt: T0,
      });
      await sim.smsc.putSmscRule({ id: "b", pattern: "1*", behaviour: "reject", createdAt: T0 + 1 });
      await sim.smsc.putSmscRule({ id: "a", pattern: "4478*", behaviour: "deliver", createdAt: T0 + 2 });
      assert.deepEqual(await sim.smsc.listSmscRules(), [
        { id: "b", pattern: "1*", behaviour: "reject", createdAt: T0 + 1 },
        { id: "a", pattern: "4478*", behaviour: "deliver", createdAt: T0 + 2 },
      ]);
      assert.equal(await sim.smsc.deleteSmscRule("a"), true);
      assert.equal(await sim.smsc.deleteSmscRule("a"), false);
      assert.deepEqual(
        (await sim.smsc.listSmscRules()).map((r) => r.id),
        ["b"],
      );
    });
  });
}
