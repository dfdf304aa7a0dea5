/**
 * `npm run cluster -- --nodes N`, run as a user runs it: N nodes on consecutive ports, each ready
 * and naming itself in /metrics, stopped together by one SIGTERM; and a clear refusal without
 * OPENBSP_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { stopChild } from "./support/child-server.ts";
import { FAST_ENV, request, sleep } from "./support/harness.ts";
import { createTestDatabase, postgresUnavailable } from "./support/postgres.ts";

// The database the nodes share (they really connect to it): the suite's when it runs on
// PostgreSQL, else a fresh test database; without a PostgreSQL server the cluster case is skipped.
const configured = process.env.OPENBSP_TEST_DATABASE_URL ?? process.env.OPENBSP_DATABASE_URL;
const noPostgres = configured ? undefined : await postgresUnavailable();
const testDb = configured || noPostgres ? undefined : await createTestDatabase();
const DATABASE_URL = configured ?? testDb?.url ?? "postgres://openbsp@127.0.0.1:5432/openbsp_cluster_test";

function cluster(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ["--import", "tsx", "bin/cluster.ts", ...args], {
    // The nodes take their names from the command (node-1 …), not the tests' fixed OPENBSP_NODE_ID.
    env: { ...process.env, ...FAST_ENV, OPENBSP_DATABASE_URL: undefined, OPENBSP_NODE_ID: undefined, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** A port p with p and p+1 free (probed by listening on both). */
async function twoFreePorts(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await free(base)) && (await free(base + 1))) return base;
  }
}

describe("npm run cluster", () => {
  const dir = mkdtempSync(join(tmpdir(), "openbsp-cluster-"));
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await testDb?.drop();
  });

  it("refuses to start without OPENBSP_DATABASE_URL, saying what to set", async () => {
    const run = cluster(["--nodes", "2"], { OPENBSP_DATA_DIR: dir });
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /OPENBSP_DATABASE_URL is not set/);
    assert.match(run.output(), /postgres:\/\//);
  });

  it("rejects a node count that is not a whole number from 1 to 64", async () => {
    const run = cluster(["--nodes", "zero"], { OPENBSP_DATABASE_URL: DATABASE_URL, OPENBSP_DATA_DIR: dir });
    assert.equal(await run.exited, 2);
    assert.match(run.output(), /--nodes must be a whole number from 1 to 64/);
  });

  it("starts N nodes on consecutive ports, each ready and named in /metrics; one SIGTERM stops all", {
    skip: noPostgres,
  }, async () => {
    const port = await twoFreePorts();
    const run = cluster(["--nodes", "2"], {
      OPENBSP_DATABASE_URL: DATABASE_URL,
      OPENBSP_DATA_DIR: dir,
      OPENBSP_PORT: String(port),
    });
    try {
      const deadline = Date.now() + 60_000;
      while ((run.output().match(/OpenBSP is running at/g) ?? []).length < 2) {
        assert.ok(run.child.exitCode === null, `the cluster exited: ${run.output()}`);
        assert.ok(Date.now() < deadline, `two nodes did not start: ${run.output()}`);
        await sleep(50);
      }
      assert.match(run.output(), /\[node-1\] .*OpenBSP is running at/);
      assert.match(run.output(), /\[node-2\] .*OpenBSP is running at/);
      for (const [i, p] of [port, port + 1].entries()) {
        const base = `http://127.0.0.1:${p}`;
        const ready = await request(base, "GET", "/readyz");
        assert.equal(ready.status, 200, JSON.stringify(ready.body));
        const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
        assert.match(metrics, new RegExp(`node="node-${i + 1}"`));
      }
      run.child.kill("SIGTERM");
      assert.equal(await run.exited, 0, run.output());
      assert.match(run.output(), /\[node-1\] exited \(code 0\)/);
      assert.match(run.output(), /\[node-2\] exited \(code 0\)/);
    } finally {
      await stopChild(run.child, "SIGKILL");
    }
  });
});
