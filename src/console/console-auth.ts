/** The console API's authentication: the account's API key in `Authorization`, as the faces take it. */
import type { onRequestHookHandler } from "fastify";
import type { AppContext } from "../app/context.ts";
import { authenticate } from "../faces/kit/authenticate.ts";

/** `App <key>`, `Bearer <key>`, or `Basic` with the key as password. */
export function apiKeyOf(header: string | undefined): string | undefined {
  const match = header ? /^(App|Bearer|Basic)\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  const [, scheme, value] = match as unknown as [string, string, string];
  if (scheme.toLowerCase() !== "basic") return value;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

export function consoleAuth(ctx: AppContext): onRequestHookHandler {
  return authenticate(
    ctx,
    {
      keyOf: (req) => apiKeyOf(req.headers.authorization),
      refuse: (reply) =>
        reply
          .code(401)
          .send({ error: "an API key is required: Authorization: App <key>", field: "Authorization" }),
    },
    (reply, status, message) => reply.code(status).send({ error: message, field: "Authorization" }),
  );
}
