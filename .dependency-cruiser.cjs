// Dependency rules that `npm run check` enforces (dependency-cruiser). Imports point inward: the core is
// pure, adapters (faces, store adapters, carriers, the simulator) meet only through ports, and every
// imported package is declared. Paths are matched against the repository root.

// Node built-ins that reach outside the process (or its clock); the core may use none of them.
const IO_BUILTINS =
  "^(node:)?(fs|net|http|https|http2|dgram|dns|tls|child_process|cluster|worker_threads|os|process|" +
  "readline|repl|inspector|v8|vm|perf_hooks|async_hooks|timers|stream|sqlite|test)(/|$)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-imports-only-core",
      comment: "src/core is pure: it imports nothing outside src/core, no package and no Node built-in.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { pathNot: "^src/core/" },
    },
    {
      name: "core-no-io-builtins",
      comment: "src/core does no I/O: time and randomness are passed in.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { dependencyTypes: ["core"], path: IO_BUILTINS },
    },
    {
      name: "no-circular",
      comment: "No import cycles, type-only imports included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "faces-not-to-other-faces",
      comment: "A face (src/faces/<name>/) imports no other face; what they share lives in src/faces/kit/.",
      severity: "error",
      from: { path: "^src/faces/([^/]+)/" },
      to: { path: "^src/faces/", pathNot: ["^src/faces/$1/", "^src/faces/kit/"] },
    },
    {
      name: "faces-not-to-store-or-carrier-adapters",
      comment: "Faces reach stores and carriers through their ports, never an adapter.",
      severity: "error",
      from: { path: "^src/faces/" },
      to: { path: "^src/(store|carriers)/[^/]+/" },
    },
    {
      name: "store-adapters-not-to-each-other",
      comment: "A store adapter (src/store/<adapter>/) imports no other store adapter, face or carrier.",
      severity: "error",
      from: { path: "^src/store/([^/]+)/" },
      to: { path: ["^src/store/[^/]+/", "^src/faces/", "^src/carriers/[^/]+/"], pathNot: "^src/store/$1/" },
    },
    {
      name: "carriers-not-to-each-other-or-faces",
      comment: "A carrier (src/carriers/<name>/) imports no other carrier and no face.",
      severity: "error",
      from: { path: "^src/carriers/([^/]+)/" },
      to: { path: ["^src/carriers/[^/]+/", "^src/faces/"], pathNot: "^src/carriers/$1/" },
    },
    {
      name: "simulator-stays-apart",
      comment:
        "The simulated network and SMSC (src/simulator/) are not imported by the core, app, faces or stores.",
      severity: "error",
      from: { path: "^src/(core|app|faces|store)/" },
      to: { path: "^src/simulator/" },
    },
    {
      name: "simulator-not-to-adapters",
      comment:
        "The simulator stands in for the world outside: it speaks the wire (src/smpp/) and the ports, " +
        "never a face, a store adapter or a carrier adapter.",
      severity: "error",
      from: { path: "^src/simulator/" },
      to: { path: ["^src/faces/", "^src/store/[^/]+/", "^src/carriers/[^/]+/"] },
    },
    {
      name: "app-through-ports",
      comment:
        "src/app reaches adapters only through ports (files directly in src/store/ or src/carriers/): " +
        "no face, adapter folder, simulator, server, engine thread, media files, webhook sender or dispatcher.",
      severity: "error",
      from: { path: "^src/app/" },
      to: {
        path: [
          "^src/(faces|simulator|http|engine|media|webhooks|dispatch)/",
          "^src/(store|carriers)/[^/]+/",
          "^src/(main|openbsp)\\.ts$",
        ],
      },
    },
    {
      name: "not-to-unresolvable",
      comment: "Every import resolves (to a file or an installed package).",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-undeclared-dependency",
      comment: "Every imported package is declared in package.json.",
      severity: "error",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "src-not-to-dev-dependency",
      comment: "Production code imports only `dependencies`, never `devDependencies` (types excepted).",
      severity: "error",
      from: { path: "^src/" },
      to: {
        dependencyTypes: ["npm-dev"],
        dependencyTypesNot: ["type-only"],
        pathNot: "node_modules/@types/",
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // TypeScript 7 has no JavaScript compiler API, which dependency-cruiser's tsc parser needs; swc parses
    // .ts and reports `import type` like any other import, so type-only cycles are caught too.
    parser: "swc",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
