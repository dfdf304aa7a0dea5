/**
 * The dialects as plugins of one kind: the registry the store thread words reports from is the
 * dialects' own wording, and it loads no routes, schemas or HTTP framework (not even as types).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { DIALECTS } from "../src/faces/dialects.ts";
import { REPORT_FORMATTERS } from "../src/faces/report-formatters.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every file `entry` imports, transitively, type-only imports included; and the packages they name. */
function importsOf(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(
      /^(?:import|export)[^"';]*?from\s+"([^"]+)"/gms,
    )) {
      if (spec?.startsWith(".")) walk(resolve(dirname(file), spec));
      else if (spec && !spec.startsWith("node:")) packages.add(spec);
    }
  };
  walk(resolve(root, entry));
  return { files: [...files].map((f) => relative(root, f)), packages };
}

it("every dialect's report wording is the one the registry lists, under the dialect's name", () => {
  assert.deepEqual(Object.keys(REPORT_FORMATTERS).sort(), DIALECTS.map((d) => d.name).sort());
  for (const d of DIALECTS) assert.equal(REPORT_FORMATTERS[d.name], d.reports, d.name);
});

it("the report wording registry imports no routes, schemas, dialect plugins or HTTP framework", () => {
  const { files, packages } = importsOf("src/faces/report-formatters.ts");
  assert.ok(files.includes("src/faces/meta/meta-reports.ts"), files.join(", "));
  const offending = files.filter((f) =>
    /(schemas|routes|-face|dialects)\.ts$|\/schemas\/|\/kit\/|^src\/http\//.test(f),
  );
  assert.deepEqual(offending, []);
  assert.deepEqual(
    [...packages].filter((p) => /fastify|typebox/.test(p)),
    [],
  );
});
