/**
 * The group commit with its log synced off the thread: a writer hears of its commit only after a
 * sync that started after that commit has finished, one sync covers every commit before it, and a
 * failed sync fails the writers it covered.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { GroupCommit, type Sync } from "../../src/store/sqlite/group-commit.ts";

/** A sync the test finishes by hand. */
function manualSync() {
  const waiting: ((error: Error | null) => void)[] = [];
  const sync: Sync = (done) => void waiting.push(done);
  return { sync, waiting, finish: (error: Error | null = null) => waiting.shift()?.(error) };
}

const turn = () => new Promise((r) => setImmediate(r));

function table() {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (v INTEGER)");
  return db;
}

describe("group commit with an off-thread sync", () => {
  it("resolves writers only once the sync that covers their commit has finished", async () => {
    const db = table();
    const s = manualSync();
    const commits: number[] = [];
    const group = new GroupCommit(db, () => commits.push(1), s.sync);
    let heard = false;
    const write = group.write(() => db.prepare("INSERT INTO t VALUES (1)").run()).then(() => (heard = true));
    await turn();
    assert.equal(
      (db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n,
      1,
      "committed at once",
    );
    assert.equal(s.waiting.length, 1, "a sync started");
    assert.equal(heard, false, "not told before the disk has it");
    assert.equal(commits.length, 0, "onCommit waits for the sync too");
    s.finish();
    await write;
    assert.equal(heard, true);
    assert.equal(commits.length, 1);
  });

  it("a commit made during a sync waits for the next one, which covers every commit since", async () => {
    const db = table();
    const s = manualSync();
    const group = new GroupCommit(db, () => {}, s.sync);
    const told: string[] = [];
    const first = group.write(() => "a").then((v) => told.push(v));
    await turn();
    const second = group.write(() => "b").then((v) => told.push(v));
    await turn();
    const third = group.write(() => "c").then((v) => told.push(v));
    await turn();
    assert.equal(s.waiting.length, 1, "one sync at a time");
    s.finish();
    await first;
    await turn();
    assert.deepEqual(told, ["a"], "b and c committed after the first sync began");
    assert.equal(s.waiting.length, 1, "the next sync covers both");
    s.finish();
    await Promise.all([second, third]);
    assert.deepEqual(told, ["a", "b", "c"]);
    await group.synced();
  });

  it("a failed sync fails the writers it covered, and the next commits sync again", async () => {
    const db = table();
    const s = manualSync();
    const group = new GroupCommit(db, () => {}, s.sync);
    const failed = group.write(() => 1);
    await turn();
    s.finish(new Error("EIO"));
    await assert.rejects(failed, /EIO/);
    const next = group.write(() => 2);
    await turn();
    s.finish();
    assert.equal(await next, 2);
  });

  it("without a sync, writers are told as soon as the commit returns", async () => {
    const group = new GroupCommit(table());
    assert.equal(await group.write(() => 7), 7);
    await group.synced();
  });
});
