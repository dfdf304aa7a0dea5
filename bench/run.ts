/**
 * `npm run bench`: one run, results as ratios to a bare-Fastify ceiling measured in the same run
 * (A B A B, medians), so they hold on a noisy shared machine. Prints a table and writes
 * BENCHMARKS.md. `npm run bench -- --smoke` is a seconds-long run that only proves the harness works.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { LoadResult } from "./load.ts";
import { loadTool } from "./load.ts";
import { startCeiling, startProduct } from "./processes.ts";
import { accept, bulkBody, durability, endToEnd, memoryWithQueue, singleBody } from "./scenarios.ts";

const smoke = process.argv.includes("--smoke");
/**
 * `--only=accept,e2e` runs only the named scenarios and leaves BENCHMARKS.md alone: `accept` (server
 * ids, 64 connections), `accept-all` (the four accept rows), `bulk`, `e2e`, `memory`, `durability`.
 */
const onlyArg = process.argv.find((a) => a.startsWith("--only="));
const only = onlyArg ? new Set(onlyArg.slice("--only=".length).split(",")) : undefined;
const runs = (scenario: string) => !only || only.has(scenario);
/** BENCHMARKS.md from this heading on is written by people and kept across runs. */
const ANALYSIS = "## Where the time goes";
const P = smoke
  ? { seconds: 1, warmup: 1, reps: 1, bulkSeconds: 1, e2e: 2000, memory: 20_000, killAfter: 1 }
  : { seconds: 5, warmup: 2, reps: 3, bulkSeconds: 5, e2e: 50_000, memory: 1_000_000, killAfter: 3 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Row {
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

async function acceptSingle(randomIds: boolean, connections: number, ceilingUrl: { url: string }) {
  const body = singleBody(randomIds);
  const ceiling: LoadResult[] = [];
  const product: LoadResult[] = [];
  for (let rep = 0; rep < P.reps; rep++) {
    const server = await startProduct();
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
  const ceilingServer = runs("accept") || runs("accept-all") ? await startCeiling() : undefined;
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
          what: `Accept 1 msg/request, ${label}, ${connections} conns`,
          figure: `${fmt(product.rps)} req/s (ceiling ${fmt(ceiling.rps)}), p50 ${fmt(product.p50, 1)} ms, p99 ${fmt(product.p99, 1)} ms, errors ${product.errors}`,
          ratio: fmt(ratio, 2),
          target: `≥ ${minRatio}${connections === 64 && !randomIds ? ", p99 ≤ 10 ms" : ""}${connections === 256 && !randomIds ? ", ≥ 4,000 req/s, 0 errors" : ""}`,
          met: ratio >= minRatio && p99Target && rpsTarget,
        });
      }
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
    // Keep the hand-written analysis that follows the generated part.
    const previous = existsSync("BENCHMARKS.md") ? readFileSync("BENCHMARKS.md", "utf8") : "";
    const analysis = previous.includes(ANALYSIS) ? previous.slice(previous.indexOf(ANALYSIS)) : "";
    writeFileSync(
      "BENCHMARKS.md",
      `# Benchmarks\n\nRun: \`npm run bench\` on ${started.toISOString().slice(0, 10)}.\nMachine: ${machine}.\n\n` +
        "The ceiling is a bare Fastify server in the same run that validates the same body with the same schema and " +
        "answers the same response, storing nothing; ceiling and product runs alternate (A B A B) and each figure is " +
        `the median of ${P.reps} runs of ${P.seconds} s. Every accept is durable: committed and fsync'd (SQLite WAL, ` +
        "synchronous=FULL) before the 2xx. Latencies are wrk's, from the load generator's side.\n\n" +
        `${table}\n${analysis ? `\n${analysis}` : ""}`,
    );
    log("written to BENCHMARKS.md");
  }
}

await main();
