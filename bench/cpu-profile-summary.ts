/**
 * `node --import tsx bench/cpu-profile-summary.ts <dir or .cpuprofile files…> [--top=N]`: where a
 * product process's time went, from the V8 CPU profiles `BENCH_PROFILE=<dir> npm run bench` writes
 * (one per process and thread): per file, the sampled time split by part (the PostgreSQL driver,
 * each store adapter, Fastify, validation and serialisation, each src/ folder, Node's internals,
 * garbage collection, idle) and the functions with the most self time.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The part of the process a function belongs to, by its script's URL. */
export function partOf(functionName: string, url: string): string {
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "V8/native (program)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (/^(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-)/.test(pkg)) return "PostgreSQL driver (pg)";
    if (pkg === "better-sqlite3") return "SQLite driver (better-sqlite3)";
    if (/^(ajv|fast-json-stringify|fast-uri|typebox|@sinclair\/typebox|json-schema)/.test(pkg))
      return "validation and serialisation";
    if (
      /^(fastify|@fastify\/|find-my-way|avvio|light-my-request|fast-querystring|secure-json-parse)/.test(pkg)
    )
      return "Fastify";
    if (/^(undici|pino|prom-client|tsx|esbuild)/.test(pkg)) return pkg;
    return `other packages (${pkg}…)`;
  }
  const src = /\/src\/(store\/(?:postgres|sqlite)|[^/]+)\//.exec(url)?.[1];
  if (src) return `src/${src}`;
  if (url.startsWith("node:") || url === "") return "Node internals and native";
  return "other";
}

function summarise(file: string, top: number): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const busy =
    total -
    [...selfUs.entries()].reduce(
      (s, [id, us]) => s + (byId.get(id)?.callFrame.functionName === "(idle)" ? us : 0),
      0,
    );
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const part = partOf(frame.functionName, frame.url);
    parts.set(part, (parts.get(part) ?? 0) + us);
    if (part === "idle") continue;
    const where = frame.url
      ? `${frame.url.replace(/^.*\/(node_modules|src)\//, "$1/")}:${frame.lineNumber + 1}`
      : "";
    const name = `${frame.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const ms = (us: number) => `${Math.round(us / 1000).toLocaleString("en-US")} ms`;
  const share = (us: number, of: number) => `${of > 0 ? Math.round((100 * us) / of) : 0} %`;
  return [
    `${basename(file)}: ${ms(total)} sampled, ${ms(busy)} busy (${share(busy, total)})`,
    "  by part (share of busy time):",
    ...[...parts.entries()]
      .filter(([p]) => p !== "idle")
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([p, us]) => `    ${share(us, busy).padStart(5)}  ${ms(us).padStart(9)}  ${p}`),
    `  top ${top} functions by self time:`,
    ...[...functions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([f, us]) => `    ${share(us, busy).padStart(5)}  ${ms(us).padStart(9)}  ${f}`),
    "",
  ];
}

const topArg = process.argv.find((a) => a.startsWith("--top="));
const top = topArg ? Number(topArg.slice("--top=".length)) : 12;
const inputs = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (inputs.length === 0) {
  process.stderr.write(
    "usage: node --import tsx bench/cpu-profile-summary.ts <dir or .cpuprofile files…> [--top=N]\n",
  );
  process.exit(2);
}
const files = inputs.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith(".cpuprofile"))
        .sort()
        .map((f) => join(p, f))
    : [p],
);
for (const f of files) process.stdout.write(`${summarise(f, top).join("\n")}\n`);
