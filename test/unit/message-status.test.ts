import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  applyEvent,
  type CarrierEvent,
  EXPIRED_ERROR,
  type MessageStatus,
} from "../../src/core/message-status.ts";

const AT = 1_700_000_000_000;
const ERROR = { code: 131026, title: "Message undeliverable" };
const event = (kind: CarrierEvent["kind"]): CarrierEvent =>
  kind === "failed" ? { kind, at: AT, error: ERROR } : { kind, at: AT };

const STATUSES: readonly MessageStatus[] = ["accepted", "sent", "delivered", "seen", "failed", "expired"];
const KINDS: readonly CarrierEvent["kind"][] = ["sent", "delivered", "seen", "failed", "expired"];

describe("the message status machine", () => {
  it("moves an accepted message forward, owing every report the move implies", () => {
    assert.deepEqual(applyEvent("accepted", event("sent")), {
      status: "sent",
      sentAt: AT,
      reports: ["sent"],
    });
    assert.deepEqual(applyEvent("accepted", event("delivered")), {
      status: "delivered",
      sentAt: AT,
      doneAt: AT,
      reports: ["sent", "delivery"],
    });
    assert.deepEqual(applyEvent("accepted", event("seen")), {
      status: "seen",
      sentAt: AT,
      doneAt: AT,
      seenAt: AT,
      reports: ["sent", "delivery", "seen"],
    });
    assert.deepEqual(applyEvent("accepted", event("failed")), {
      status: "failed",
      error: ERROR,
      doneAt: AT,
      reports: ["delivery"],
    });
    assert.deepEqual(applyEvent("accepted", event("expired")), {
      status: "expired",
      error: EXPIRED_ERROR,
      doneAt: AT,
      reports: ["delivery"],
    });
  });

  it("from sent: delivered, seen (which implies delivery), failed and expired; a second sent is ignored", () => {
    assert.equal(applyEvent("sent", event("sent")), undefined);
    assert.deepEqual(applyEvent("sent", event("delivered")), {
      status: "delivered",
      doneAt: AT,
      reports: ["delivery"],
    });
    assert.deepEqual(applyEvent("sent", event("seen")), {
      status: "seen",
      doneAt: AT,
      seenAt: AT,
      reports: ["delivery", "seen"],
    });
    assert.deepEqual(applyEvent("sent", event("failed")), {
      status: "failed",
      error: ERROR,
      doneAt: AT,
      reports: ["delivery"],
    });
    assert.deepEqual(applyEvent("sent", event("expired")), {
      status: "expired",
      error: EXPIRED_ERROR,
      doneAt: AT,
      reports: ["delivery"],
    });
  });

  it("from delivered only seen moves it: no downgrade, no failure after delivery", () => {
    assert.deepEqual(applyEvent("delivered", event("seen")), {
      status: "seen",
      seenAt: AT,
      reports: ["seen"],
    });
    for (const kind of ["sent", "delivered", "failed", "expired"] as const) {
      assert.equal(applyEvent("delivered", event(kind)), undefined, `${kind} after delivered`);
    }
  });

  it("seen, failed and expired are final: every event is ignored", () => {
    for (const status of ["seen", "failed", "expired"] as const) {
      for (const kind of KINDS)
        assert.equal(applyEvent(status, event(kind)), undefined, `${kind} after ${status}`);
    }
  });

  it("never moves a status backwards and owes each report at most once along any path", () => {
    const rank: Record<MessageStatus, number> = {
      accepted: 0,
      sent: 1,
      delivered: 2,
      seen: 3,
      failed: 9,
      expired: 9,
    };
    for (const status of STATUSES) {
      for (const kind of KINDS) {
        const t = applyEvent(status, event(kind));
        if (t) {
          assert.ok(rank[t.status] > rank[status], `${status} --${kind}--> ${t.status} moves forward`);
          assert.equal(new Set(t.reports).size, t.reports.length, `${status} --${kind}--> no report twice`);
        }
      }
    }
    // Every order of the same events ends with the same reports, each once.
    const orders: CarrierEvent["kind"][][] = [
      ["sent", "delivered", "seen"],
      ["seen", "delivered", "sent"],
      ["delivered", "seen", "sent"],
      ["sent", "seen", "delivered"],
    ];
    for (const order of orders) {
      let status: MessageStatus = "accepted";
      const reports: string[] = [];
      for (const kind of order) {
        const t = applyEvent(status, event(kind));
        if (t) {
          status = t.status;
          reports.push(...t.reports);
        }
      }
      assert.equal(status, "seen", order.join(" → "));
      assert.deepEqual(reports.sort(), ["delivery", "seen", "sent"], order.join(" → "));
    }
  });

  it("keeps the carrier's error on a failure and the expiry error on an expiry", () => {
    const other = { code: 131047, title: "Re-engagement message", details: "window closed" };
    assert.deepEqual(applyEvent("accepted", { kind: "failed", at: AT, error: other })?.error, other);
    assert.deepEqual(EXPIRED_ERROR, {
      code: 131049,
      title: "Message expired",
      details: "The message was not delivered before its time-to-live elapsed",
    });
  });
});
