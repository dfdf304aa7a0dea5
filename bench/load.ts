/**
 * The load generator: wrk when it is installed (a C load generator that leaves the CPU to the
 * server), otherwise autocannon from the dev dependencies. Both drive the same bodies: a fixed one,
 * or one with a fresh random client messageId per request.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

export interface LoadSpec {
  /** One URL per node (the same path on each): the connections are split evenly over them. */
  readonly urls: readonly string[];
  readonly headers: Record<string, string>;
  /** The JSON body; `%ID%` is replaced by a random id per request when `randomIds` is set. */
  readonly body: string;
  readonly randomIds: boolean;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly rps: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

export function loadTool(): "wrk" | "autocannon" {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return "wrk";
  } catch (err) {
    // wrk prints its usage and exits 1 for --version; a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "autocannon" : "wrk";
  }
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (loadTool() === "wrk") return runWrk(spec);
  // autocannon drives one URL: one instance per node, side by side, their figures combined.
  const per = Math.max(1, Math.round(spec.connections / spec.urls.length));
  const results = await Promise.all(
    spec.urls.map((url) => runAutocannon({ ...spec, urls: [url], connections: per })),
  );
  return {
    rps: results.reduce((s, r) => s + r.rps, 0),
    p50ms: Math.max(...results.map((r) => r.p50ms)),
    p99ms: Math.max(...results.map((r) => r.p99ms)),
    errors: results.reduce((s, r) => s + r.errors, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
  };
}

const dir = mkdtempSync(join(tmpdir(), "openbsp-bench-"));

function luaString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const [before, after] = spec.body.split("%ID%");
  const script = `
wrk.method = "POST"
${Object.entries(spec.headers)
  .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`)
  .join("\n")}
wrk.body = ${luaString(spec.body.replace("%ID%", "fixed-id"))}
local before, after = ${luaString(before ?? "")}, ${luaString(after ?? "")}
local counter = 0
init = function(args) math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6)) end
${
  spec.randomIds
    ? `request = function()
  counter = counter + 1
  local id = string.format("%08x-%04x-4%03x-%04x-%08x%04x", math.random(0, 0x7fffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0x8000, 0xbfff), math.random(0, 0x7fffffff), counter % 0x10000)
  return wrk.format(nil, nil, nil, before .. id .. after)
end`
    : ""
}
${
  spec.urls.length > 1
    ? // One wrk thread per node, each thread's connections to its own node (wrk's setup hook).
      `local ports, threads = { ${spec.urls.map((u) => luaString(new URL(u).port)).join(", ")} }, 0
setup = function(thread)
  threads = threads + 1
  thread.addr = wrk.lookup(${luaString(new URL(spec.urls[0] as string).hostname)}, ports[(threads - 1) % #ports + 1])[1]
end`
    : ""
}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
`;
  const file = join(dir, `load-${Date.now()}.lua`);
  writeFileSync(file, script);
  const out = await new Promise<string>((resolve, reject) => {
    const threads = spec.urls.length;
    const child = spawn("wrk", [
      `-t${threads}`,
      `-c${Math.max(threads, Math.round(spec.connections / threads) * threads)}`,
      `-d${spec.seconds}s`,
      "--timeout",
      "10s",
      "-s",
      file,
      spec.urls[0] as string,
    ]);
    let text = "";
    child.stdout.on("data", (d) => (text += String(d)));
    child.stderr.on("data", (d) => (text += String(d)));
    child.on("error", reject);
    child.on("close", () => resolve(text));
  });
  const m = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
  if (!m) throw new Error(`wrk printed no result:\n${out}`);
  const [, requests, durationUs, errors, non2xx, p50, p99] = m.map(Number) as number[];
  return {
    rps: (requests as number) / ((durationUs as number) / 1e6),
    p50ms: (p50 as number) / 1000,
    p99ms: (p99 as number) / 1000,
    errors: errors as number,
    non2xx: non2xx as number,
  };
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const [before, after] = spec.body.split("%ID%");
  let n = 0;
  const result = await autocannon({
    url: spec.urls[0] as string,
    method: "POST",
    headers: spec.headers,
    connections: spec.connections,
    duration: spec.seconds,
    body: spec.body.replace("%ID%", "fixed-id"),
    ...(spec.randomIds
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                body: `${before}${Math.random().toString(16).slice(2)}-${(n++).toString(16)}${after}`,
              }),
            },
          ],
        }
      : {}),
  });
  return {
    rps: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
