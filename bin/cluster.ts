/**
 * `npm run cluster -- --nodes N`: N OpenBSP nodes on consecutive ports (OPENBSP_PORT, +1, …)
 * against one database (OPENBSP_DATABASE_URL, required), for trying a cluster on one machine.
 * Every node gets the same environment (the settings that must be equal on every node), its own
 * OPENBSP_NODE_ID and data directory, and one shared OPENBSP_MEDIA_DIR. Each line a node prints
 * is prefixed with its name. SIGINT or SIGTERM stops every node gracefully; if one node exits on
 * its own, the others are stopped too and the command exits non-zero.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const USAGE = "usage: npm run cluster -- --nodes N   (N from 1 to 64; ports from OPENBSP_PORT, default 8080)";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function nodeCount(argv: readonly string[]): number {
  const i = argv.findIndex((a) => a === "--nodes" || a.startsWith("--nodes="));
  if (i < 0) return 2;
  const raw = argv[i]?.includes("=") ? argv[i]?.split("=")[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) fail(`--nodes must be a whole number from 1 to 64\n${USAGE}`);
  return n;
}

const env = process.env;
if (process.argv.includes("--help") || process.argv.includes("-h")) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const nodes = nodeCount(process.argv.slice(2));
if (!env.OPENBSP_DATABASE_URL) {
  fail(
    [
      "OPENBSP_DATABASE_URL is not set: the nodes of a cluster share one PostgreSQL database.",
      "  Set it, e.g.  OPENBSP_DATABASE_URL=postgres://openbsp:secret@127.0.0.1:5432/openbsp npm run cluster -- --nodes 3",
      "  (one node on the embedded SQLite store needs no database: npm start)",
    ].join("\n"),
  );
}
const basePort = Number(env.OPENBSP_PORT ?? 8080);
if (!Number.isInteger(basePort) || basePort < 1 || basePort + nodes - 1 > 65535)
  fail(
    `OPENBSP_PORT=${env.OPENBSP_PORT}: the ports ${basePort}..${basePort + nodes - 1} must be from 1 to 65535`,
  );
const dataDir = resolve(env.OPENBSP_DATA_DIR ?? "./data");
const mediaDir = resolve(env.OPENBSP_MEDIA_DIR ?? join(dataDir, "media"));
const main = new URL("../src/main.ts", import.meta.url).pathname;

const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function stopAll(signal: NodeJS.Signals): void {
  for (const { child } of children)
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

for (let i = 0; i < nodes; i++) {
  const name = `node-${i + 1}`;
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: {
      ...env,
      OPENBSP_PORT: String(basePort + i),
      OPENBSP_NODE_ID: env.OPENBSP_NODE_ID ? `${env.OPENBSP_NODE_ID}-${i + 1}` : name,
      // Each node's own directory for what is its own; the media bytes every node must reach.
      OPENBSP_DATA_DIR: join(dataDir, name),
      OPENBSP_MEDIA_DIR: mediaDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const out = stream === child.stdout ? process.stdout : process.stderr;
    createInterface({ input: stream }).on("line", (line) => out.write(`[${name}] ${line}\n`));
  }
  child.once("exit", (code, signal) => {
    process.stderr.write(`[${name}] exited (${signal ?? `code ${code}`})\n`);
    if (!stopping) {
      stopping = true;
      process.exitCode = 1;
      stopAll("SIGTERM");
    }
    if (children.every((c) => c.child.exitCode !== null || c.child.signalCode !== null)) process.exit();
  });
  children.push({ name, child });
}
process.stdout.write(
  `Starting ${nodes} OpenBSP nodes on ports ${basePort}..${basePort + nodes - 1} (readiness: GET /readyz on each)\n`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return stopAll("SIGKILL");
    stopping = true;
    stopAll("SIGTERM");
  });
}
