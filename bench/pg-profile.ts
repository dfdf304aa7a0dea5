/**
 * Where PostgreSQL's time goes over one measured window of a PostgreSQL deployment, from four
 * sources that need nothing installed in the server: the statement timer in each node
 * (pg-statement-timer.ts: time per SQL text, as the node waits for it), the node's group commit
 * (`/metrics`: commits, their duration and batch size), the database's backends (pg_stat_activity
 * sampled every 20 ms: on CPU, waiting on I/O or a lock, idle in a transaction waiting on the node)
 * and the CPU time of the nodes and of the backends (/proc).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { cpuMs, PostgresWatch, type PostgresWindow } from "./postgres.ts";
import type { Running } from "./processes.ts";

interface Statement {
  readonly sql: string;
  readonly calls: number;
  readonly ms: number;
  readonly maxMs: number;
}

interface CommitFigures {
  readonly commits: number;
  readonly seconds: number;
  readonly writes: number;
}

export interface PgProfile {
  readonly what: string;
  readonly nodes: number;
  readonly window: PostgresWindow;
  readonly nodeCpuMs: number;
  readonly statements: readonly Statement[];
  readonly commit: CommitFigures;
  /** What the window carried, for costs per unit (requests or messages). */
  units?: { readonly n: number; readonly label: string };
}

async function commitFigures(urls: readonly string[]): Promise<CommitFigures> {
  let commits = 0;
  let seconds = 0;
  let writes = 0;
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = (name: string) =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text)?.[1] ?? 0);
    commits += value("openbsp_store_commit_duration_seconds_count");
    seconds += value("openbsp_store_commit_duration_seconds_sum");
    writes += value("openbsp_store_commit_batch_size_sum");
  }
  return { commits, seconds, writes };
}

/** Asks every node's statement timer for what it timed since it was last asked (and to start again). */
async function statementsSince(running: Running): Promise<Statement[]> {
  const files = running.nodes.flatMap((_, i) => running.statementsFile(i) ?? []);
  if (files.length === 0) return [];
  for (const f of files) rmSync(f, { force: true });
  for (const n of running.nodes) n.child.kill("SIGUSR2");
  const deadline = Date.now() + 3000;
  while (files.some((f) => !existsSync(f)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const merged = new Map<string, { calls: number; ms: number; maxMs: number }>();
  for (const f of files) {
    if (!existsSync(f)) continue;
    let list: Statement[] = [];
    try {
      list = JSON.parse(readFileSync(f, "utf8")) as Statement[];
    } catch {
      continue; // being written as we read: this node's share is missing from the summary
    }
    for (const s of list) {
      const m = merged.get(s.sql) ?? { calls: 0, ms: 0, maxMs: 0 };
      m.calls += s.calls;
      m.ms += s.ms;
      m.maxMs = Math.max(m.maxMs, s.maxMs);
      merged.set(s.sql, m);
    }
  }
  return [...merged.entries()].map(([sql, m]) => ({ sql, ...m })).sort((a, b) => b.ms - a.ms);
}

/** Starts watching `running` (a PostgreSQL deployment); the function it answers ends the window. */
export async function watchPostgres(running: Running, what: string): Promise<() => Promise<PgProfile>> {
  const database = running.database;
  if (!database) throw new Error("not a PostgreSQL deployment");
  const watch = await PostgresWatch.open(database.url, database.name);
  const pids = running.nodes.map((n) => n.child.pid as number);
  await statementsSince(running);
  const commitBefore = await commitFigures(running.urls);
  const cpuBefore = pids.map(cpuMs);
  await watch.start();
  return async () => {
    try {
      const window = await watch.stop();
      const nodeCpuMs = pids.reduce((s, pid, i) => s + cpuMs(pid) - (cpuBefore[i] ?? 0), 0);
      const statements = await statementsSince(running);
      const after = await commitFigures(running.urls);
      return {
        what,
        nodes: pids.length,
        window,
        nodeCpuMs,
        statements,
        commit: {
          commits: after.commits - commitBefore.commits,
          seconds: after.seconds - commitBefore.seconds,
          writes: after.writes - commitBefore.writes,
        },
      };
    } finally {
      await watch.close();
    }
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (part: number, whole: number) => `${whole > 0 ? fmt((100 * part) / whole) : "0"} %`;

/** A short summary, as Markdown lines: CPU, commits, backend states, the costliest statements. */
export function formatProfile(p: PgProfile, top = 6): string[] {
  const s = p.window.seconds;
  const perUnit = (ms: number) =>
    p.units && p.units.n > 0 ? `, ${fmt((1000 * ms) / p.units.n)} µs per ${p.units.label}` : "";
  const stats = p.window.stats;
  const lines = [
    `**${p.what}** (${fmt(s, 1)} s${p.units ? `, ${fmt(p.units.n)} ${p.units.label}s` : ""}):`,
    "",
    `- CPU: ${p.nodes > 1 ? `the ${p.nodes} nodes` : "the node"} ${fmt(p.nodeCpuMs / s / 10)} % of a core${perUnit(p.nodeCpuMs)}; ` +
      `PostgreSQL backends ${fmt(p.window.backendCpuMs / s / 10)} % of a core${perUnit(p.window.backendCpuMs)}.`,
    `- Group commit: ${fmt(p.commit.commits)} commits (${fmt(p.commit.commits / s)}/s), ` +
      `${fmt(p.commit.commits > 0 ? p.commit.writes / p.commit.commits : 0, 1)} writes each, ` +
      `${fmt(p.commit.commits > 0 ? (1000 * p.commit.seconds) / p.commit.commits : 0, 2)} ms each (connect to COMMIT), ` +
      `${pct(p.commit.seconds, s)} of the window in an open group transaction ` +
      `(${p.nodes > 1 ? "summed over the nodes; " : ""}a commit at the window's edges counts whole).`,
    `- The database: ${fmt(stats.commits)} transactions (${fmt(stats.rollbacks)} rolled back), ` +
      `${fmt(stats.inserted)} rows inserted, ${fmt(stats.updated)} updated, ${fmt(stats.deleted)} deleted; ` +
      `backends active ${fmt(stats.activeMs)} ms, idle in a transaction ${fmt(stats.idleInTransactionMs)} ms ` +
      "(pg_stat_database, flushed by the server about once a second).",
  ];
  const samples = [...p.window.samples.entries()].sort((a, b) => b[1] - a[1]);
  if (samples.length > 0)
    lines.push(
      `- Backends sampled every 20 ms (${fmt(p.window.sampleCount)} samples): ${samples
        .map(([what, n]) => `${what} ${pct(n, p.window.sampleCount)}`)
        .join("; ")}.`,
    );
  const total = p.statements.reduce((sum, st) => sum + st.ms, 0);
  if (p.statements.length > 0) {
    lines.push(
      `- Statements as the nodes waited for them (${fmt(total)} ms in all, overlapping: a pool of connections per node):`,
      "",
      "  | statement | calls/s | mean ms | max ms | share |",
      "  |---|---|---|---|---|",
      ...p.statements.slice(0, top).map((st) => {
        const sql = st.sql.length > 90 ? `${st.sql.slice(0, 87)}…` : st.sql;
        return `  | \`${sql.replace(/\|/g, "\\|")}\` | ${fmt(st.calls / s)} | ${fmt(st.ms / st.calls, 2)} | ${fmt(st.maxMs, 1)} | ${pct(st.ms, total)} |`;
      }),
    );
  }
  return lines;
}
