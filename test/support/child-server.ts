/**
 * OpenBSP as a separate process (`npm start`'s entry point), for crash tests. A child that does
 * not come up in time is killed rather than leaked, and the error carries what it printed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { FAST_ENV, sleep, testDatabaseUrl } from "./harness.ts";

export interface ChildServer {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

export async function spawnOpenBsp(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildServer> {
  // On PostgreSQL (OPENBSP_TEST_DATABASE_URL), the schema of its data directory, as startServer's.
  const pgUrl =
    env.OPENBSP_DATABASE_URL ??
    (env.OPENBSP_DATA_DIR ? await testDatabaseUrl(env.OPENBSP_DATA_DIR) : undefined);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, ...FAST_ENV, ...env, ...(pgUrl ? { OPENBSP_DATABASE_URL: pgUrl } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (out += String(d)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /OpenBSP is running at (\S+)/.exec(out)?.[1];
    if (url) return { child, url, output: () => out };
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stopChild(child, "SIGKILL");
      throw new Error(
        `OpenBSP did not start (exit ${child.exitCode ?? child.signalCode}); it printed:\n${out}`,
      );
    }
    await sleep(20);
  }
}

/** Sends `signal` unless the child has already exited, and resolves once it has. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  return exited;
}
