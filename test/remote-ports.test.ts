/**
 * The proxy that carries port calls across threads (src/store/sqlite/threaded/remote.ts), over a
 * MessageChannel in this thread: methods found on the served object, flat or nested ports, and
 * errors that keep their class, code, cause and fields.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { MessageChannel } from "node:worker_threads";
import { connect, type Remote, serve } from "../src/store/sqlite/threaded/remote.ts";

class ConstraintError extends Error {
  readonly code = "SQLITE_CONSTRAINT_UNIQUE";
  readonly table = "messages";
}

/** A port the way adapters write them: prototype methods, arrow-function fields, a sync helper. */
class Messages {
  readonly #rows = new Map<string, string>();
  readonly label = "not a method";

  async put(id: string, text: string): Promise<boolean> {
    if (this.#rows.has(id))
      throw new ConstraintError(`duplicate ${id}`, { cause: new TypeError("id already used") });
    this.#rows.set(id, text);
    return true;
  }

  get = async (id: string) => this.#rows.get(id);

  size(): number {
    return this.#rows.size;
  }
}

const channels: MessageChannel[] = [];
after(() => {
  for (const c of channels) c.port1.close();
});

async function across<T extends object>(target: T): Promise<Remote<T>> {
  const channel = new MessageChannel();
  channels.push(channel);
  serve(channel.port1, target);
  return (await connect<T>(channel.port2)).remote;
}

describe("remote ports", () => {
  it("calls a flat port's async methods, prototype and field alike, found on the object itself", async () => {
    const messages = await across(new Messages());
    assert.equal(await messages.put("a", "hello"), true);
    assert.equal(await messages.get("a"), "hello");
    assert.equal(await messages.get("b"), undefined);
    // Only async methods are part of the remote type: a sync method would have to answer at once.
    // @ts-expect-error size() is synchronous
    assert.equal(typeof messages.size, "function", "found at run time (it answers through a promise)");
    // @ts-expect-error label is data, not a method
    assert.equal(messages.label, undefined, "data does not cross");
  });

  it("calls a bundle of ports, each reached by its name", async () => {
    const log: string[] = [];
    const storage = await across({
      messages: new Messages(),
      outbox: { queue: async (body: string) => log.push(body) },
      controls: { stop: async () => "stopped" },
    });
    assert.equal(await storage.messages.put("x", "hi"), true);
    assert.equal(await storage.messages.get("x"), "hi");
    assert.equal(await storage.outbox.queue("report"), 1);
    assert.equal(await storage.controls.stop(), "stopped");
    assert.deepEqual(log, ["report"]);
  });

  it("rejects with an error of the same class name, message, code, cause and own fields", async () => {
    const messages = await across(new Messages());
    await messages.put("a", "one");
    const err = await messages.put("a", "two").then(
      () => assert.fail("a duplicate is refused"),
      (e: unknown) => e as ConstraintError,
    );
    assert.ok(err instanceof Error);
    assert.equal(err.constructor.name, "ConstraintError");
    assert.equal(err.name, "Error");
    assert.equal(err.message, "duplicate a");
    assert.equal(err.code, "SQLITE_CONSTRAINT_UNIQUE");
    assert.equal(err.table, "messages");
    assert.ok(err.cause instanceof TypeError, "a built-in cause comes back as its own class");
    assert.equal((err.cause as Error).message, "id already used");
    assert.match(err.stack ?? "", /put/, "the stack is where it was thrown");
  });

  it("keeps a renamed error's name, and a thrown non-error as it was", async () => {
    const target = {
      named: async () => {
        throw Object.assign(new RangeError("too far"), { name: "ClockError", limit: 3 });
      },
      thrown: async () => {
        throw { reason: "plain object" };
      },
      sync: (): number => {
        throw new Error("thrown before any promise");
      },
    };
    const remote = await across(target);
    await assert.rejects(remote.named(), (e: Error & { limit: number }) => {
      assert.ok(e instanceof RangeError);
      assert.equal(e.name, "ClockError");
      assert.equal(e.limit, 3);
      return true;
    });
    await assert.rejects(remote.thrown(), (e: unknown) => {
      assert.deepEqual(e, { reason: "plain object" });
      return true;
    });
    // @ts-expect-error sync() is not async, but a throw in it is still an answer
    await assert.rejects(remote.sync(), /thrown before any promise/);
  });
});
