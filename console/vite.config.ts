// The web console's build: Preact (JSX compiled by Vite's own transform, no plugin) into console/dist,
// served by OpenBSP at /console/. No CDN, no external font: everything is bundled.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "/console/",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 400 },
});
