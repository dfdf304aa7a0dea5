/**
 * A background loop that yields to accept: while requests pour in it rests after each step for as
 * long as its share says, and a wake does not cut the rest short; once the burst ends it runs back
 * to back again.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import { AcceptPressure } from "../../src/app/accept-pressure.ts";
import { WorkLoop } from "../../src/app/work-loop.ts";

const log = pino({ level: "silent" });
const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe("accept pressure", () => {
  it("is busy once enough commits arrive within a window, and not after the window", () => {
    const p = new AcceptPressure(3, 100);
    p.arrived(0);
    p.arrived(10);
    assert.equal(p.busy(20), false);
    p.arrived(20);
    assert.equal(p.busy(20), true);
    assert.equal(p.busy(119), true);
    assert.equal(p.busy(121), false);
  });
});

describe("a work loop that yields to accept", () => {
  /** Runs a loop of 5 ms steps until it has made 6 (however slow the machine); answers each rest between steps relative to the step before it. */
  async function rests(pressure: AcceptPressure): Promise<number[]> {
    const spans: [number, number][] = [];
    const loop = new WorkLoop(
      "test",
      async () => {
        const start = performance.now();
        busyFor(5);
        spans.push([start, performance.now()]);
        return true;
      },
      1_000,
      log,
      { pressure, share: 0.25 },
    );
    loop.start();
    // Wakes while it rests must not cut the rest short.
    const waking = setInterval(() => loop.wake(), 1);
    const deadline = Date.now() + 20_000;
    while (spans.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(waking);
    await loop.stop();
    return spans.slice(1).map(([start], i) => {
      const [prevStart, prevEnd] = spans[i] as [number, number];
      return (start - prevEnd) / (prevEnd - prevStart);
    });
  }

  it("rests three times its step's length during a burst (a quarter of the thread), however often woken", async () => {
    const pressure = new AcceptPressure(1, 1_000_000);
    pressure.arrived(performance.now()); // a burst that lasts the whole test
    const during = await rests(pressure);
    assert.ok(during.length >= 5, "it ran");
    // Three times the step, less the timers' whole-millisecond rounding.
    for (const r of during) assert.ok(r >= 2.5, `a rest of ${r.toFixed(2)} steps`);
  });

  it("runs its steps back to back when no burst is on", async () => {
    const after = await rests(new AcceptPressure());
    assert.ok(after.length >= 5, "it ran");
    assert.ok(
      after.some((r) => r < 1),
      `some step followed its predecessor at once: ${after.map((r) => r.toFixed(1))}`,
    );
  });
});
