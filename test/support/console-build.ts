/** Builds the web console (Vite) when its assets are missing or older than its sources, once per run. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    t = Math.max(t, s.isDirectory() ? newest(path) : s.mtimeMs);
  }
  return t;
}

let built = false;
export function ensureConsoleBuilt(): void {
  if (built) return;
  const index = join(ROOT, "console/dist/index.html");
  const stale = !existsSync(index) || statSync(index).mtimeMs < newest(join(ROOT, "console/src"));
  if (stale) execFileSync("npx", ["vite", "build", "console"], { cwd: ROOT, stdio: "inherit" });
  built = true;
}
