/** The README is the user's manual: every setting the code reads is in it, every file it names exists. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { SETTINGS } from "../src/config.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The text of a `## ` section, up to the next one. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `the README has a "## ${title}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Every file and folder of the source tree, relative to the repository (built output left out). */
function tree(): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const tops = ["src", "test", "bench", "bin", "console"];
  const dirs: string[] = [...tops];
  for (const top of tops)
    for (const entry of readdirSync(join(root, top), { recursive: true }) as string[]) {
      const path = `${top}/${entry}`;
      if (/(^|\/)(node_modules|dist)(\/|$)/.test(path)) continue;
      (statSync(join(root, path)).isDirectory() ? dirs : files).push(path);
    }
  return { files, dirs };
}

it("the README's configuration table lists every environment variable", () => {
  const missing = SETTINGS.map((s) => s.env).filter((env) => !readme.includes(`| \`${env}\` |`));
  assert.deepEqual(missing, []);
});

it("every file and folder the README's layout section names exists, and every part of src/ has its row", () => {
  const layout = section("Layout");
  const { files, dirs } = tree();
  // Paths as the section writes them: from the repository (`src/…`, `test/…`) or from src/ (`faces/…`);
  // a bare name (`to-core.ts`, `kit/`) is a file or folder somewhere in the tree; `*` matches within a name.
  const named = [...layout.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1] as string)
    .filter(
      (t) => /^[\w.*-]+(\/[\w.*-]+)*\/?$/.test(t) && (t.includes("/") || /\.(ts|mjs|cjs|json)$/.test(t)),
    )
    // The console's build output is made by `npm install`, not kept in the repository.
    .filter((t) => t !== "console/dist");
  assert.ok(named.length > 40, `the layout section names files (found ${named.length})`);
  const matches = (pattern: string, candidates: readonly string[]) => {
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*")}$`);
    return candidates.some((c) => re.test(c));
  };
  const missing = named.filter((t) => {
    const isDir = t.endsWith("/");
    const path = isDir ? t.slice(0, -1) : t;
    const pool = isDir ? dirs : files;
    if (!path.includes("/")) return !pool.some((p) => matches(path, [basename(p)]));
    return !matches(path, pool) && !matches(`src/${path}`, pool);
  });
  assert.deepEqual(missing, [], "paths the layout section names that the tree does not have");

  const unlisted = readdirSync(join(root, "src"))
    .map((name) => (statSync(join(root, "src", name)).isDirectory() ? `src/${name}/` : `src/${name}`))
    .filter((path) => !named.includes(path));
  assert.deepEqual(unlisted, [], "parts of src/ the layout section does not name");
});

it("the layout section follows one send in at most eight files", () => {
  const steps = section("Layout").match(/^\d+\. `[^`]+`/gm) ?? [];
  assert.ok(steps.length > 0 && steps.length <= 8, `${steps.length} steps`);
});
