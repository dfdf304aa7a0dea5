/**
 * Loaded into the product's process by the bench (`--import`) on PostgreSQL: times every statement
 * node-postgres runs (from `query()` to its result, per SQL text with its placeholders folded), as
 * pg_stat_statements would, without the server needing it preloaded. On SIGUSR2 it writes what it
 * timed since the last SIGUSR2 to BENCH_PG_STATEMENTS_FILE (JSON) and starts again, so the bench
 * reads exactly its measured window. The product's code is untouched; the cost is two clock reads
 * and two map lookups per statement (BENCH_PG_PROFILE=0 leaves it out, to compare).
 */
import { writeFileSync } from "node:fs";
import pg from "pg";

interface Tally {
  calls: number;
  ms: number;
  maxMs: number;
}

const file = process.env.BENCH_PG_STATEMENTS_FILE;
let tallies = new Map<string, Tally>();

/** Shapes of the texts seen lately: a multi-row insert's text takes ~0.1 ms to fold. */
const shapes = new Map<string, string>();

/** One shape per statement: placeholders and repeated row tuples folded, whitespace collapsed. */
function shape(text: string): string {
  const known = shapes.get(text);
  if (known !== undefined) return known;
  if (shapes.size >= 1000) shapes.clear();
  const folded = text
    .replace(/\s+/g, " ")
    .replace(/\$\d+/g, "$")
    .replace(/(\([^()]*\))(\s*,\s*\1)+/g, "$1, …")
    .trim();
  shapes.set(text, folded);
  return folded;
}

function record(text: string, started: number): void {
  const ms = performance.now() - started;
  const key = shape(text);
  const t = tallies.get(key);
  if (t) {
    t.calls++;
    t.ms += ms;
    if (ms > t.maxMs) t.maxMs = ms;
  } else tallies.set(key, { calls: 1, ms, maxMs: ms });
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function timedQuery(
  this: pg.Client,
  ...args: unknown[]
) {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === "string" ? first : first?.text;
  if (text === undefined) return original.apply(this, args);
  const started = performance.now();
  const last = args.at(-1);
  if (typeof last === "function") {
    args[args.length - 1] = (...cb: unknown[]) => {
      record(text, started);
      return (last as (...a: unknown[]) => unknown)(...cb);
    };
    return original.apply(this, args);
  }
  const result = original.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function")
    (result as Promise<unknown>).then(
      () => record(text, started),
      () => record(text, started),
    );
  return result;
};

if (file)
  process.on("SIGUSR2", () => {
    const out = [...tallies.entries()].map(([sql, t]) => ({ sql, ...t }));
    tallies = new Map();
    writeFileSync(file, JSON.stringify(out));
  });
