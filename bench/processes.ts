/** Starting and stopping the servers under test, each in its own process, as a user would run them. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BENCH_KEY = "bench-key-0001";
export const BENCH_SENDER = "441134960000";

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

/** BENCH_PROFILE=<dir> writes a V8 CPU profile of every product process (one per thread) there. */
export async function startProduct(env: Record<string, string> = {}, dataDir?: string): Promise<Server> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "openbsp-bench-data-"));
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "src/main.ts"], {
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
