/**
 * `npm run bench`: one run, results as ratios to a bare-Fastify ceiling measured in the same run
 * (A B A B, medians), so they hold on a noisy shared machine; every scenario on SQLite, then on
 * PostgreSQL with one node and with two (when a server is reachable), and a profile of where
 * PostgreSQL's time goes. Prints a table and writes BENCHMARKS.md. `npm run bench -- --smoke` is a
 * seconds-long run that only proves the harness works (on PostgreSQL: two nodes, accept and end to end).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { LoadResult } from "./load.ts";
import { loadTool } from "./load.ts";
import { formatProfile, type PgProfile, watchPostgres } from "./pg-profile.ts";
import { postgresUnavailable } from "./postgres.ts";
import {
  type Deployment,
  deploymentLabel,
  type Running,
  type Server,
  startCeiling,
  startDeployment,
} from "./processes.ts";
import { accept, bulkBody, durability, endToEnd, memoryWithQueue, singleBody } from "./scenarios.ts";

const smoke = process.argv.includes("--smoke");
/**
 * `--only=accept,e2e` runs only the named scenarios and leaves BENCHMARKS.md alone: `accept` (server
 * ids, 64 connections), `accept-all` (the four accept rows), `accept-ingest` (dispatch off), `bulk`,
 * `e2e` (one sender, unpaced; SQLite only), `e2e20` (20 senders at the 1,000 messages/s tier),
 * `memory`, `durability`.
 */
const onlyArg = process.argv.find((a) => a.startsWith("--only="));
const only = onlyArg ? new Set(onlyArg.slice("--only=".length).split(",")) : undefined;
/**
 * `--store=sqlite|postgres` and `--nodes=1|2` (lists allowed: `--store=sqlite,postgres`) choose the
 * deployments; by default every scenario runs on SQLite, on PostgreSQL with one node and with two
 * (PostgreSQL skipped, saying so, when no server answers on 127.0.0.1:5432 or OPENBSP_TEST_PG_ADMIN_URL;
 * with OPENBSP_TEST_REQUIRE_POSTGRES set, as in CI, that is an error instead).
 * Like `--only`, choosing leaves BENCHMARKS.md alone.
 */
const listArg = (name: string) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? new Set(arg.slice(name.length + 3).split(",")) : undefined;
};
const stores = listArg("store");
const nodeCounts = listArg("nodes");
const partial = only !== undefined || stores !== undefined || nodeCounts !== undefined;
/**
 * The smoke run keeps PostgreSQL to two short rows on two nodes (which use every part one node
 * uses: the database, the statement timer, the profile, the load split over nodes), to stay short,
 * unless the scenarios or deployments are chosen (`--smoke --only=memory --store=postgres`).
 */
const SMOKE_ON_POSTGRES = new Set(["accept", "e2e20"]);
const runs = (scenario: string, d?: Deployment) =>
  (!only || only.has(scenario)) &&
  !(smoke && !partial && d?.store === "postgres" && (d.nodes < 2 || !SMOKE_ON_POSTGRES.has(scenario)));
/** A row per full run, newest first, kept across runs so that a regression shows; the sections after it are written by people. */
const HISTORY = "## History";
/** The history's columns: the first six as earlier runs recorded them, the rest added since (at the end, so old rows stay aligned). */
const HISTORY_COLUMNS: Record<string, string> = {
  accept: "accept, 64 conns (ratio)",
  ingest: "accept, dispatch off (ratio)",
  bulk: "bulk of 1,000",
  e2e: "end to end",
  memory: "RSS, 1M queued",
  durability: "SIGKILL: missing",
  e2e20: "end to end, 20 senders",
  "accept@postgres": "PG: accept, 64 conns (ratio)",
  "bulk@postgres": "PG: bulk",
  "e2e20@postgres": "PG: end to end, 20 senders",
  "accept@postgres2": "PG, 2 nodes: accept, 64 conns (ratio)",
  "bulk@postgres2": "PG, 2 nodes: bulk",
  "e2e20@postgres2": "PG, 2 nodes: end to end, 20 senders",
};
const P = smoke
  ? { seconds: 1, warmup: 1, reps: 1, bulkSeconds: 1, e2e: 2000, memory: 20_000, killAfter: 1 }
  : { seconds: 5, warmup: 2, reps: 3, bulkSeconds: 5, e2e: 50_000, memory: 1_000_000, killAfter: 3 };
/** The end-to-end run's senders: registered through the admin API, each at Meta's top tier. */
const SENDERS = { count: 20, mps: 1000 };
/** BENCH_PG_PROFILE=0 runs PostgreSQL without the profile (no statement timer, no sampling): an A/B of its cost. */
const pgProfile = process.env.BENCH_PG_PROFILE !== "0";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Row {
  /** The history table's column for this row, if it has one. */
  readonly key?: string;
  readonly what: string;
  /** The deployment: SQLite, PostgreSQL, PostgreSQL with two nodes. */
  readonly where: string;
  readonly figure: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean | undefined;
}
const rows: Row[] = [];
const profiles: PgProfile[] = [];

/** The history key of a scenario's row on a deployment (SQLite's keep the names earlier runs used). */
const keyOf = (scenario: string, d: Deployment) =>
  d.store === "sqlite" ? scenario : `${scenario}@postgres${d.nodes > 1 ? d.nodes : ""}`;
const historyKey = (scenario: string, d: Deployment) =>
  keyOf(scenario, d) in HISTORY_COLUMNS ? { key: keyOf(scenario, d) } : {};

function summarise(results: LoadResult[]) {
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50ms)),
    p99: median(results.map((r) => r.p99ms)),
    errors: results.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}

/** Watches the deployment for the profile of where PostgreSQL's time goes (PostgreSQL only). */
async function profiled<T>(
  running: Running,
  what: string,
  work: () => Promise<T>,
  units: (result: T) => { n: number; label: string },
): Promise<T> {
  if (!running.database || !pgProfile) return work();
  const end = await watchPostgres(running, what);
  const result = await work();
  const profile = await end();
  profile.units = units(result);
  profiles.push(profile);
  return result;
}

async function acceptSingle(
  deployment: Deployment,
  randomIds: boolean,
  connections: number,
  ceiling: Server,
  env: Record<string, string> = {},
  profileAs?: string,
) {
  const body = singleBody(randomIds);
  const ceilingRuns: LoadResult[] = [];
  const product: LoadResult[] = [];
  for (let rep = 0; rep < P.reps; rep++) {
    const running = await startDeployment(deployment, env);
    try {
      await accept(running.urls, body, randomIds, connections, P.warmup);
      // A B: the ceiling and the product alternate so drift in the machine hits both alike.
      ceilingRuns.push(await accept([ceiling.url], body, randomIds, connections, P.seconds));
      const load = () => accept(running.urls, body, randomIds, connections, P.seconds);
      product.push(
        profileAs && rep === P.reps - 1
          ? await profiled(running, profileAs, load, (r) => ({ n: r.rps * P.seconds, label: "request" }))
          : await load(),
      );
    } finally {
      await running.stop();
    }
  }
  return { ceiling: summarise(ceilingRuns), product: summarise(product) };
}

async function main() {
  const started = new Date();
  log(`load generator: ${loadTool()}${smoke ? " (smoke run)" : ""}`);
  const wanted: Deployment[] = [
    { store: "sqlite", nodes: 1 },
    { store: "postgres", nodes: 1 },
    { store: "postgres", nodes: 2 },
  ];
  let deployments = wanted.filter(
    (d) =>
      (!stores || stores.has(d.store)) &&
      (!nodeCounts || nodeCounts.has(String(d.nodes))) &&
      (d.store === "postgres" || d.nodes === 1),
  );
  const notes: string[] = [];
  if (deployments.some((d) => d.store === "postgres")) {
    const unavailable = await postgresUnavailable();
    if (unavailable) {
      const note = `PostgreSQL rows skipped: ${unavailable} (or set OPENBSP_TEST_PG_ADMIN_URL)`;
      log(note);
      notes.push(note);
      deployments = deployments.filter((d) => d.store !== "postgres");
    }
  }
  if (deployments.length === 0) throw new Error("no deployment to run (see --store and --nodes)");
  log(`deployments: ${deployments.map(deploymentLabel).join("; ")}`);

  const acceptRuns = deployments.some(
    (d) => runs("accept", d) || runs("accept-all", d) || runs("accept-ingest", d),
  );
  const ceilingServer = acceptRuns ? await startCeiling() : undefined;
  try {
    if (ceilingServer) await accept([ceilingServer.url], singleBody(false), false, 64, P.warmup);
    for (const d of deployments) {
      const where = deploymentLabel(d);
      for (const [randomIds, label, minRatio] of [
        [false, "server ids", 0.85],
        [true, "client messageIds", 0.6],
      ] as const) {
        for (const connections of [64, 256]) {
          const main = !randomIds && connections === 64;
          if (!ceilingServer || !(runs("accept-all", d) || (main && runs("accept", d)))) continue;
          log(`${where}: accept, single message, ${label}, ${connections} connections…`);
          const { ceiling, product } = await acceptSingle(
            d,
            randomIds,
            connections,
            ceilingServer,
            {},
            main ? `${where}: accept, 1 message/request, server ids, 64 connections` : undefined,
          );
          const ratio = product.rps / ceiling.rps;
          const p99Target = main ? product.p99 <= 10 : true;
          const rpsTarget =
            connections === 256 && !randomIds ? product.rps >= 4000 && product.errors === 0 : true;
          rows.push({
            ...(main ? historyKey("accept", d) : {}),
            what: `Accept 1 msg/request, ${label}, ${connections} conns`,
            where,
            figure: `${fmt(product.rps)} req/s (ceiling ${fmt(ceiling.rps)}), p50 ${fmt(product.p50, 1)} ms, p99 ${fmt(product.p99, 1)} ms, errors ${product.errors}`,
            ratio: fmt(ratio, 2),
            target: `≥ ${minRatio}${main ? ", p99 ≤ 10 ms" : ""}${connections === 256 && !randomIds ? ", ≥ 4,000 req/s, 0 errors" : ""}`,
            met: ratio >= minRatio && p99Target && rpsTarget,
          });
        }
      }
      if (ceilingServer && runs("accept-ingest", d)) {
        log(`${where}: accept, single message, server ids, 64 connections, dispatch off…`);
        const { ceiling, product } = await acceptSingle(d, false, 64, ceilingServer, {
          OPENBSP_DISPATCH: "false",
        });
        rows.push({
          ...historyKey("ingest", d),
          what: "Accept 1 msg/request, server ids, 64 conns, dispatch off (pure ingest)",
          where,
          figure: `${fmt(product.rps)} req/s (ceiling ${fmt(ceiling.rps)}), p50 ${fmt(product.p50, 1)} ms, p99 ${fmt(product.p99, 1)} ms, errors ${product.errors}`,
          ratio: fmt(product.rps / ceiling.rps, 2),
          target: "",
          met: undefined,
        });
      }
    }
  } finally {
    await ceilingServer?.stop();
  }

  for (const d of deployments) {
    if (!runs("bulk", d)) continue;
    const where = deploymentLabel(d);
    log(`${where}: accept, bulk of 1,000…`);
    const running = await startDeployment(d);
    try {
      const body = bulkBody(1000);
      await accept(running.urls, body, false, 4, P.warmup);
      const r = await accept(running.urls, body, false, 4, P.bulkSeconds);
      rows.push({
        ...historyKey("bulk", d),
        what: "Accept, bulk of 1,000 messages/request, 4 conns",
        where,
        figure: `${fmt(r.rps * 1000)} messages/s, p99 ${fmt(r.p99ms, 1)} ms, errors ${r.errors + r.non2xx}`,
        ratio: "",
        target: "≥ 50,000 msg/s",
        met: r.rps * 1000 >= 50_000,
      });
    } finally {
      await running.stop();
    }
  }

  for (const d of deployments) {
    const where = deploymentLabel(d);
    if (d.store === "sqlite" && runs("e2e", d)) {
      log(`${where}: end to end with ${P.e2e} messages, one sender, unpaced…`);
      const e2e = await endToEnd(P.e2e, d);
      rows.push({
        ...historyKey("e2e", d),
        what: "End to end: accept → simulated delivery → report received, 1 sender, unpaced",
        where,
        figure: `${fmt(e2e.perSecond)} messages/s (${fmt(e2e.messages)} in ${fmt(e2e.seconds, 1)} s), missing ${e2e.missing}, duplicated ${e2e.duplicated}`,
        ratio: "",
        target: "≥ 10,000 msg/s, none missing or duplicated",
        met: e2e.perSecond >= 10_000 && e2e.missing === 0 && e2e.duplicated === 0,
      });
    }
    if (runs("e2e20", d)) {
      log(`${where}: end to end with ${P.e2e} messages from ${SENDERS.count} senders at ${SENDERS.mps}/s…`);
      let profile: (() => Promise<PgProfile>) | undefined;
      const e2e = await endToEnd(P.e2e, d, {
        senders: SENDERS,
        ...(d.store === "postgres" && pgProfile
          ? {
              watch: async (running: Running) => {
                profile = await watchPostgres(
                  running,
                  `${where}: end to end, ${SENDERS.count} senders at ${SENDERS.mps}/s`,
                );
                return async () => void profiles.push(await (profile as () => Promise<PgProfile>)());
              },
            }
          : {}),
      });
      const last = profiles.at(-1);
      if (profile && last) last.units = { n: e2e.messages, label: "message" };
      rows.push({
        ...historyKey("e2e20", d),
        what: `End to end: accept → simulated delivery → report received, ${SENDERS.count} senders at the ${fmt(SENDERS.mps)} msg/s tier`,
        where,
        figure: `${fmt(e2e.perSecond)} messages/s (${fmt(e2e.messages)} in ${fmt(e2e.seconds, 1)} s), missing ${e2e.missing}, duplicated ${e2e.duplicated}`,
        ratio: "",
        target: `≥ 10,000 msg/s (the tier allows ${fmt(SENDERS.count * SENDERS.mps)}), none missing or duplicated`,
        met: e2e.perSecond >= 10_000 && e2e.missing === 0 && e2e.duplicated === 0,
      });
    }
  }

  for (const d of deployments) {
    // Memory per node: two nodes hold no more each than one does.
    if (!runs("memory", d) || d.nodes > 1) continue;
    const where = deploymentLabel(d);
    log(`${where}: memory with ${P.memory} queued…`);
    const mem = await memoryWithQueue(P.memory, d);
    rows.push({
      ...historyKey("memory", d),
      what: `Memory with ${fmt(mem.messages)} messages queued, not dispatched`,
      where,
      figure: `RSS ${fmt(mem.rssMb)} MB (idle ${fmt(mem.idleRssMb)} MB)`,
      ratio: "",
      target: "≤ 300 MB",
      met: mem.rssMb <= 300,
    });
  }

  for (const d of deployments) {
    if (!runs("durability", d)) continue;
    const where = deploymentLabel(d);
    log(`${where}: durability: SIGKILL under load…`);
    const dur = await durability(P.killAfter, d);
    rows.push({
      ...historyKey("durability", d),
      what:
        d.nodes > 1
          ? "SIGKILL of one node under load, restart: acknowledged messages in the store"
          : "SIGKILL under load, restart: acknowledged messages in the store",
      where,
      figure: `${fmt(dur.acknowledged - dur.missing)} of ${fmt(dur.acknowledged)} (missing ${dur.missing})`,
      ratio: "",
      target: "none missing",
      met: dur.missing === 0 && dur.acknowledged > 0,
    });
  }

  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, load generator ${loadTool()}`;
  const table = [
    "| scenario | store | result | product / ceiling | target | met |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.what} | ${r.where} | ${r.figure} | ${r.ratio} | ${r.target} | ${r.met === undefined ? "" : r.met ? "yes" : "**no**"} |`,
    ),
  ].join("\n");
  const profileText =
    profiles.length > 0
      ? [
          "### PostgreSQL: where the time goes in this run",
          "",
          "Measured in the runs above (the last repetition of accept), with nothing installed in the server: " +
            "each node's statement timer (`bench/pg-statement-timer.ts`, loaded with `--import`), its group " +
            "commit's `/metrics`, pg_stat_activity sampled every 20 ms, pg_stat_database, and /proc's CPU time. " +
            "Only accept's last repetition is watched (the median is of three); `BENCH_PG_PROFILE=0` leaves the " +
            "watch out, to compare.",
          "",
          ...profiles.flatMap((p) => [...formatProfile(p), ""]),
        ].join("\n")
      : "";
  process.stdout.write(`\n${table}\n${notes.map((n) => `\n${n}\n`).join("")}`);
  if (profileText) process.stdout.write(`\n${profileText}`);
  if (!smoke && !partial) {
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
        "fsync'd before the 2xx. Latencies are wrk's, from the load generator's side. The same harness runs on " +
        "SQLite and on PostgreSQL (a fresh database per deployment on 127.0.0.1:5432, dropped after), with one node " +
        "and with two nodes on the same database, the load generator's connections split over both " +
        "(one wrk thread per node); the ratio is to the same single ceiling.\n\n" +
        `${table}\n${notes.map((n) => `\n${n}\n`).join("")}\n${profileText ? `${profileText}\n` : ""}${history}\n${analysis ? `\n${analysis}` : ""}`,
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
  const cell = (key: string) => {
    const r = rows.find((row) => row.key === key);
    return r ? `${r.figure.split(/ \(|, /)[0]?.trim()}${r.ratio ? ` (${r.ratio})` : ""}` : "";
  };
  const keys = Object.keys(HISTORY_COLUMNS);
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
