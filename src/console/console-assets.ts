/**
 * The web console's static files (built by Vite into console/dist), served at /console/ with the
 * console's security headers; a browser asking `/` for HTML is sent there. Until the console is
 * built, /console/ answers 501 saying how to build it.
 */
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";

const DIST = fileURLToPath(new URL("../../console/dist/", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/**
 * Scripts and styles only from here, no framing; images and media from anywhere (a phone shows
 * what the business linked).
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data: blob:; " +
    "media-src * data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

export function consoleAssets(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  const load = async (path: string): Promise<Buffer | undefined> => {
    const hit = cache.get(path);
    if (hit) return hit;
    try {
      const bytes = await readFile(join(DIST, path));
      cache.set(path, bytes);
      return bytes;
    } catch {
      return undefined;
    }
  };
  const send = (reply: FastifyReply, path: string, bytes: Buffer) =>
    reply
      .headers(SECURITY_HEADERS)
      .header("content-type", TYPES[extname(path)] ?? "application/octet-stream")
      // Vite names assets by their hash: they never change; the page itself is asked for each time.
      .header(
        "cache-control",
        path.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      )
      .send(bytes);

  const serve = async (wanted: string, reply: FastifyReply) => {
    const path = normalize(wanted).replace(/^(\.\.(\/|$))+/, "");
    const file = path && path !== "." ? await load(path) : undefined;
    if (file) return send(reply, path, file);
    // Any other path under /console/ is a view of the page (client-side routing), unless it names a file.
    if (extname(path))
      return reply
        .code(404)
        .headers(SECURITY_HEADERS)
        .send({ error: `no file ${wanted}` });
    const index = await load("index.html");
    if (!index)
      return reply.code(501).headers(SECURITY_HEADERS).send({
        error: "the console is not built: run `npm run build:console` (npm install does it)",
      });
    return send(reply, "index.html", index);
  };

  app.get("/console", { schema: { hide: true } }, (_req, reply) => reply.redirect("/console/"));
  app.get<{ Params: { "*": string } }>("/console/*", { schema: { hide: true } }, (req, reply) =>
    serve(req.params["*"], reply),
  );
  // A browser at the base URL sees the console; API clients asking for JSON get today's answer.
  app.get("/", { schema: { hide: true } }, (req, reply) => {
    if ((req.headers.accept ?? "").includes("text/html")) return reply.redirect("/console/");
    return reply.callNotFound();
  });
}
