/** The live activity feed: it keeps nothing while nobody reads it, and says when a reader fell behind the ring. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { type ActivityEvent, ActivityFeed } from "../../src/app/activity-feed.ts";

const event = (n: number): ActivityEvent => ({
  type: "message",
  accountId: "a",
  messageId: `m${n}`,
  status: "sent",
  at: n,
});

it("records nothing while nobody has read it", () => {
  const feed = new ActivityFeed();
  assert.equal(feed.watched, false);
  feed.record(event(1));
  const first = feed.read(Number.MAX_SAFE_INTEGER);
  assert.deepEqual(first.events, []);
  assert.equal(first.cursor, 0, "the unwatched event was not kept");
  assert.equal(feed.watched, true, "reading turns recording on");
});

it("gives each reader the events after its cursor, in order", () => {
  const feed = new ActivityFeed();
  const start = feed.read(Number.MAX_SAFE_INTEGER).cursor;
  feed.record(event(1));
  feed.record(event(2));
  const page = feed.read(start);
  assert.deepEqual(
    page.events.map((e) => (e.type === "message" ? e.messageId : "")),
    ["m1", "m2"],
  );
  assert.equal(page.gap, false);
  feed.record(event(3));
  assert.deepEqual(
    feed.read(page.cursor).events.map((e) => (e.type === "message" ? e.messageId : "")),
    ["m3"],
  );
});

it("a reader the ring went round on is told of the gap and gets the newest events", () => {
  const feed = new ActivityFeed();
  const start = feed.read(Number.MAX_SAFE_INTEGER).cursor;
  for (let i = 0; i < 5000; i++) feed.record(event(i));
  const page = feed.read(start);
  assert.equal(page.gap, true);
  assert.equal(page.events.length, 4096);
  const last = page.events[page.events.length - 1];
  assert.equal(last?.type === "message" && last.messageId, "m4999");
});
