/**
 * `npm run bench`: one run, results as ratios to a bare-Fastify ceiling measured in the same run
 * (A B A B, medians), so they hold on a noisy shared machine. Prints a table and writes
 * BENCHMARKS.md. `npm run bench -- --smoke` is a seconds-long run that only proves the harness works.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { LoadResult } from "./load.ts";
import { loadTool } from "./load.ts";
import { startCeiling, startProduct } from "./processes.ts";
import { accept, bulkBody, durability, endToEnd, memoryWithQueue, singleBody } from "./scenarios.ts";

const smoke = process.argv.includes("--smoke");
/**
 * `--only=accept,e2e` runs only the named scenarios and leaves BENCHMARKS.md alone: `accept` (server
 * ids, 64 connections), `accept-all` (the four accept rows), `accept-ingest` (dispatch off), `bulk`,
 * `e2e`, `memory`, `durability`.
 */
const onlyArg = process.argv.find((a) => a.startsWith("--only="));
const only = onlyArg ? new Set(onlyArg.slice("--only=".length).split(",")) : undefined;
const runs = (scenario: string) => !only || only.has(scenario);
/** A row per full run, newest first, kept across runs so that a regression shows; the sections after it are written by people. */
const HISTORY = "## History";
const HISTORY_COLUMNS = {
  accept: "accept, 64 conns (ratio)",
  ingest: "accept, dispatch off (ratio)",
  bulk: "bulk of 1,000",
  e2e: "end to end",
  memory: "RSS, 1M queued",
  durability: "SIGKILL: missing",
} as const;
const P = smoke
  ? { seconds: 1, warmup: 1, reps: 1, bulkSeconds: 1, e2e: 2000, memory: 20_000, killAfter: 1 }
  : { seconds: 5, warmup: 2, reps: 3, bulkSeconds: 5, e2e: 50_000, memory: 1_000_000, killAfter: 3 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Row {
  /** The history table's column for this row, if it has one. */
  readonly key?: keyof typeof HISTORY_COLUMNS;
  readonly what: string;
  readonly figure: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean | undefined;
}
const rows: Row[] = [];

function summarise(results: LoadResult[]) {
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50ms)),
    p99: median(results.map((r) => r.p99ms)),
    errors: results.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}

async function acceptSingle(
  randomIds: boolean,
  connections: number,
  ceilingUrl: { url: string },
  env: Record<string, string> = {},
) {
  const body = singleBody(randomIds);
  const ceiling: LoadResult[] = [];
  const product: LoadResult[] = [];
  for (let rep = 0; rep < P.reps; rep++) {
    const server = await startProduct(env);
    try {
      await accept(server, body, randomIds, connections, P.warmup);
      // A B: the ceiling and the product alternate so drift in the machine hits both alike.
      ceiling.push(await accept(ceilingUrl as never, body, randomIds, connections, P.seconds));
      product.push(await accept(server, body, randomIds, connections, P.seconds));
    } finally {
      await server.stop();
    }
  }
  return { ceiling: summarise(ceiling), product: summarise(product) };
}

async function main() {
  const started = new Date();
  log(`load generator: ${loadTool()}${smoke ? " (smoke run)" : ""}`);
  const ceilingServer =
    runs("accept") || runs("accept-all") || runs("accept-ingest") ? await startCeiling() : undefined;
  try {
    if (ceilingServer) await accept(ceilingServer, singleBody(false), false, 64, P.warmup);
    for (const [randomIds, label, minRatio] of [
      [false, "server ids", 0.85],
      [true, "client messageIds", 0.6],
    ] as const) {
      for (const connections of [64, 256]) {
        if (!ceilingServer || !(runs("accept-all") || (!randomIds && connections === 64))) continue;
        log(`accept, single message, ${label}, ${connections} connections…`);
        const { ceiling, product } = await acceptSingle(randomIds, connections, ceilingServer);
        const ratio = product.rps / ceiling.rps;
        const p99Target = connections === 64 && !randomIds ? product.p99 <= 10 : true;
        const rpsTarget =
          connections === 256 && !randomIds ? product.rps >= 4000 && product.errors === 0 : true;
        rows.push({
          ...(randomIds || connections !== 64 ? {} : { key: "accept" as const }),
          what: `Accept 1 msg/request, ${label}, ${connections} conns`,
          figure: `${fmt(product.rps)} req/s (ceiling ${fmt(ceiling.rps)}), p50 ${fmt(product.p50, 1)} ms, p99 ${fmt(product.p99, 1)} ms, errors ${product.errors}`,
          ratio: fmt(ratio, 2),
          target: `≥ ${minRatio}${connections === 64 && !randomIds ? ", p99 ≤ 10 ms" : ""}${connections === 256 && !randomIds ? ", ≥ 4,000 req/s, 0 errors" : ""}`,
          met: ratio >= minRatio && p99Target && rpsTarget,
        });
      }
    }
    if (ceilingServer && runs("accept-ingest")) {
      log("accept, single message, server ids, 64 connections, dispatch off…");
      const { ceiling, product } = await acceptSingle(false, 64, ceilingServer, {
        OPENBSP_DISPATCH: "false",
      });
      rows.push({
        key: "ingest",
        what: "Accept 1 msg/request, server ids, 64 conns, dispatch off (pure ingest)",
        figure: `${fmt(product.rps)} req/s (ceiling ${fmt(ceiling.rps)}), p50 ${fmt(product.p50, 1)} ms, p99 ${fmt(product.p99, 1)} ms, errors ${product.errors}`,
        ratio: fmt(product.rps / ceiling.rps, 2),
        target: "",
        met: undefined,
      });
    }
  } finally {
    await ceilingServer?.stop();
  }

  if (runs("bulk")) {
    log("accept, bulk of 1,000…");
    const bulkServer = await startProduct();
    try {
      const body = bulkBody(1000);
      await accept(bulkServer, body, false, 4, P.warmup);
      const r = await accept(bulkServer, body, false, 4, P.bulkSeconds);
      rows.push({
        key: "bulk",
        what: "Accept, bulk of 1,000 messages/request, 4 conns",
        figure: `${fmt(r.rps * 1000)} messages/s, p99 ${fmt(r.p99ms, 1)} ms, errors ${r.errors + r.non2xx}`,
        ratio: "",
        target: "≥ 50,000 msg/s",
        met: r.rps * 1000 >= 50_000,
      });
    } finally {
      await bulkServer.stop();
    }
  }

  if (runs("e2e")) {
    log(`end to end with ${P.e2e} messages…`);
    const e2e = await endToEnd(P.e2e);
    rows.push({
      key: "e2e",
      what: "End to end: accept → simulated delivery → report received",
      figure: `${fmt(e2e.perSecond)} messages/s (${fmt(e2e.messages)} in ${fmt(e2e.seconds, 1)} s), missing ${e2e.missing}, duplicated ${e2e.duplicated}`,
      ratio: "",
      target: "≥ 10,000 msg/s, none missing or duplicated",
      met: e2e.perSecond >= 10_000 && e2e.missing === 0 && e2e.duplicated === 0,
    });
  }

  if (runs("memory")) {
    log(`memory with ${P.memory} queued…`);
    const mem = await memoryWithQueue(P.memory);
    rows.push({
      key: "memory",
      what: `Memory with ${fmt(mem.messages)} messages queued, not dispatched`,
      figure: `RSS ${fmt(mem.rssMb)} MB (idle ${fmt(mem.idleRssMb)} MB)`,
      ratio: "",
      target: "≤ 300 MB",
      met: mem.rssMb <= 300,
    });
  }

  if (runs("durability")) {
    log("durability: SIGKILL under load…");
    const dur = await durability(P.killAfter);
    rows.push({
      key: "durability",
      what: "SIGKILL under load, restart: acknowledged messages in the store",
      figure: `${fmt(dur.acknowledged - dur.missing)} of ${fmt(dur.acknowledged)} (missing ${dur.missing})`,
      ratio: "",
      target: "none missing",
      met: dur.missing === 0 && dur.acknowledged > 0,
    });
  }

  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, load generator ${loadTool()}`;
  const table = [
    "| scenario | result | product / ceiling | target | met |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.what} | ${r.figure} | ${r.ratio} | ${r.target} | ${r.met === undefined ? "" : r.met ? "yes" : "**no**"} |`,
    ),
  ].join("\n");
  process.stdout.write(`\n${table}\n`);
  if (!smoke && !only) {
    // Keep the history and the hand-written sections that follow the generated part.
    const previous = existsSync("BENCHMARKS.md") ? readFileSync("BENCHMARKS.md", "utf8") : "";
    const history = historyWith(previous, started, rows);
    const analysis = handWritten(previous);
    writeFileSync(
      "BENCHMARKS.md",
      `# Benchmarks\n\nRun: \`npm run bench\` on ${started.toISOString().slice(0, 10)}.\nMachine: ${machine}.\n\n` +
        "The ceiling is a bare Fastify server in the same run that validates the same body with the same schema and " +
        "answers the same response, storing nothing; ceiling and product runs alternate (A B A B) and each figure is " +
        `the median of ${P.reps} runs of ${P.seconds} s. Every accept is durable: committed and its write-ahead log ` +
        "fsync'd before the 2xx. Latencies are wrk's, from the load generator's side.\n\n" +
        `${table}\n\n${history}\n${analysis ? `\n${analysis}` : ""}`,
    );
    log("written to BENCHMARKS.md");
  }
}

/** Every section after the generated table but the history, as people wrote them. */
function handWritten(previous: string): string {
  const sections = previous.split(/\n(?=## )/).slice(1);
  return sections.filter((s) => !s.startsWith(HISTORY)).join("\n");
}

/** The history section with this run's figures added on top (the first figure of each row, in order). */
function historyWith(previous: string, started: Date, rows: readonly Row[]): string {
  const start = previous.indexOf(`\n${HISTORY}`);
  const end = start >= 0 ? previous.indexOf("\n## ", start + 1) : -1;
  const kept =
    start >= 0
      ? previous
          .slice(start, end > start ? end : undefined)
          .split("\n")
          .filter((l) => l.startsWith("| 20"))
      : [];
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim();
  } catch {
    commit = "?";
  }
  const cell = (key: keyof typeof HISTORY_COLUMNS) => {
    const r = rows.find((row) => row.key === key);
    return r ? `${r.figure.split(/ \(|, /)[0]?.trim()}${r.ratio ? ` (${r.ratio})` : ""}` : "";
  };
  const keys = Object.keys(HISTORY_COLUMNS) as (keyof typeof HISTORY_COLUMNS)[];
  return [
    HISTORY,
    "",
    "Newest first, one row per full `npm run bench` (earlier runs' figures as BENCHMARKS.md recorded them).",
    "",
    `| date | commit | ${keys.map((k) => HISTORY_COLUMNS[k]).join(" | ")} |`,
    `|---|---|${keys.map(() => "---").join("|")}|`,
    `| ${started.toISOString().slice(0, 10)} | ${commit} | ${keys.map(cell).join(" | ")} |`,
    ...kept,
  ].join("\n");
}

await main();
