/**
 * Infobip WhatsApp endpoints OpenBSP does not serve yet. They answer 501 in Infobip's error body,
 * saying what is missing, rather than a 404 that would look like a wrong URL.
 */
import type { FaceApp } from "../kit/dialect.ts";
import { sendError } from "./infobip-errors.ts";
import { ErrorBody } from "./schemas/common.ts";

const UNBUILT: readonly {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  url: string;
  what: string;
}[] = [
  ...[
    "media-carousel",
    "voice-button",
    "call-permission-request",
    "request-contact-info",
    "in-thread-authentication-request",
  ].map((kind) => ({
    method: "POST" as const,
    url: `/whatsapp/1/message/interactive/${kind}`,
    what: `interactive ${kind} messages`,
  })),
  {
    method: "GET",
    url: "/whatsapp/1/senders/:sender/templates",
    what: "templates v1 (deprecated; use /whatsapp/2/senders/{sender}/templates)",
  },
  {
    method: "POST",
    url: "/whatsapp/1/senders/:sender/templates",
    what: "templates v1 (deprecated; use /whatsapp/2/senders/{sender}/templates)",
  },
  { method: "GET", url: "/whatsapp/1/templates", what: "the account-wide template list" },
  { method: "POST", url: "/whatsapp/1/senders/:sender/flows/generate", what: "AI generation of flows" },
];

export function unbuiltRoutes(app: FaceApp): void {
  for (const r of UNBUILT) {
    app.route({
      method: r.method,
      url: r.url,
      schema: {
        tags: ["Infobip: not built yet"],
        summary: `Answers 501: ${r.what} are not built yet`,
        response: { 501: ErrorBody },
      },
      handler: (_req, reply) => sendError(reply, 501, undefined, `OpenBSP does not support ${r.what} yet`),
    });
  }
}
