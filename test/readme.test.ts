/** The README is the user's manual: every setting the code reads must be in its configuration table. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { SETTINGS } from "../src/config.ts";

it("the README's configuration table lists every environment variable", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const missing = SETTINGS.map((s) => s.env).filter((env) => !readme.includes(`| \`${env}\` |`));
  assert.deepEqual(missing, []);
});
