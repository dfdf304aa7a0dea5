/** Starting and stopping the servers under test, each in its own process, as a user would run them. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BENCH_KEY = "bench-key-0001";
export const BENCH_SENDER = "441134960000";
/** The admin API's key, for registering the end-to-end run's senders. */
export const BENCH_ADMIN_KEY = "bench-admin-key-0001";

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir?: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function started(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += String(d);
      const m = pattern.exec(out);
      if (m) resolve(m[1] as string);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d) => (out += String(d)));
    child.once("exit", (code) =>
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`)),
    );
    setTimeout(() => reject(new Error(`server not ready after 30 s:\n${out}`)), 30_000).unref();
  });
}

function stopper(child: ChildProcess) {
  return (signal: NodeJS.Signals = "SIGTERM") =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(signal);
    });
}

export async function startCeiling(): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/ceiling-server.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await started(child, /READY (\S+)/);
  return { url, child, stop: stopper(child) };
}

/**
 * BENCH_PROFILE=<dir> writes a V8 CPU profile of every product process (one per thread) there.
 * `preload` modules are imported before the product (the PostgreSQL statement timer).
 */
export async function startProduct(
  env: Record<string, string> = {},
  dataDir?: string,
  preload: readonly string[] = [],
): Promise<Server> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "openbsp-bench-data-"));
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const imports = preload.flatMap((m) => ["--import", m]);
  const child = spawn(process.execPath, [...profile, "--import", "tsx", ...imports, "src/main.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      OPENBSP_PORT: "0",
      OPENBSP_DATA_DIR: dir,
      OPENBSP_API_KEY: BENCH_KEY,
      OPENBSP_SENDER: BENCH_SENDER,
      OPENBSP_LOG_LEVEL: "warn",
      // The bench measures how fast OpenBSP accepts, not WhatsApp's sending limits.
      OPENBSP_THROUGHPUT_MPS: "0",
      OPENBSP_PAIR_RATE_BURST: "0",
      // Nor the account's request limit (Infobip's 4,000 requests/s), which would answer 429s.
      OPENBSP_ACCOUNT_REQUESTS_PER_SECOND: "0",
      OPENBSP_ADMIN_KEY: BENCH_ADMIN_KEY,
      ...env,
    },
  });
  const url = await started(child, /OpenBSP is running at (\S+)/);
  return { url, child, dataDir: dir, stop: stopper(child) };
}

/** Resident memory of a process, in MB (threads included). */
export function rssMb(pid: number): number {
  const kb = Number(
    execFileSync("ps", ["-o", "rss=", "-p", String(pid)])
      .toString()
      .trim(),
  );
  return kb / 1024;
}

/** Where the product runs: the embedded SQLite store on one node, or PostgreSQL on one or two. */
export interface Deployment {
  readonly store: "sqlite" | "postgres";
  readonly nodes: 1 | 2;
}

export const deploymentLabel = (d: Deployment) =>
  d.store === "sqlite" ? "SQLite" : d.nodes === 1 ? "PostgreSQL" : `PostgreSQL, ${d.nodes} nodes`;

/** One deployment running: its nodes (the load generator spreads over their URLs) and its database. */
export interface Running {
  readonly deployment: Deployment;
  readonly nodes: readonly Server[];
  readonly urls: readonly string[];
  /** The PostgreSQL database's URL and name (PostgreSQL only). */
  readonly database?: { readonly url: string; readonly name: string };
  /** The statement timer's file of node `i` (PostgreSQL, unless BENCH_PG_PROFILE=0). */
  statementsFile(i: number): string | undefined;
  /** Starts node `i` again on its data (after a SIGKILL). */
  restart(i: number): Promise<Server>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the deployment: on SQLite one product on a fresh data directory; on PostgreSQL a fresh
 * database (dropped by `stop`) and `nodes` products on it, each with its own node id and its own
 * statement timer.
 */
export async function startDeployment(d: Deployment, env: Record<string, string> = {}): Promise<Running> {
  if (d.store === "sqlite") {
    const server = await startProduct(env);
    const nodes = [server];
    return {
      deployment: d,
      nodes,
      urls: [server.url],
      statementsFile: () => undefined,
      restart: async (i) => {
        nodes[i] = await startProduct(env, server.dataDir);
        return nodes[i] as Server;
      },
      stop: (signal) => (nodes[0] as Server).stop(signal),
    };
  }
  const { createBenchDatabase } = await import("./postgres.ts");
  const db = await createBenchDatabase();
  const timerDir = mkdtempSync(join(tmpdir(), "openbsp-bench-pg-"));
  // BENCH_PG_PROFILE=0: no statement timer in the nodes (to check what the profile itself costs).
  const timer =
    process.env.BENCH_PG_PROFILE === "0" ? [] : [new URL("./pg-statement-timer.ts", import.meta.url).href];
  const nodeEnv = (i: number) => ({
    OPENBSP_DATABASE_URL: db.url,
    OPENBSP_NODE_ID: `bench-node-${i + 1}`,
    BENCH_PG_STATEMENTS_FILE: join(timerDir, `node-${i + 1}.json`),
    ...env,
  });
  const nodes: Server[] = [];
  try {
    // One at a time: they would wait on each other's migrations (the advisory lock) anyway.
    for (let i = 0; i < d.nodes; i++) nodes.push(await startProduct(nodeEnv(i), undefined, timer));
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    await db.drop();
    throw error;
  }
  return {
    deployment: d,
    nodes,
    get urls() {
      return nodes.map((n) => n.url);
    },
    database: { url: db.url, name: db.name },
    statementsFile: (i) => (timer.length > 0 ? join(timerDir, `node-${i + 1}.json`) : undefined),
    restart: async (i) => {
      nodes[i] = await startProduct(nodeEnv(i), nodes[i]?.dataDir, timer);
      return nodes[i] as Server;
    },
    async stop(signal) {
      await Promise.all(nodes.map((n) => n.stop(signal)));
      await db.drop();
    },
  };
}
