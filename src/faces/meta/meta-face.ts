/**
 * The Meta Cloud API face: Meta's Graph API for WhatsApp, wire-compatible, over the core.
 * `Authorization: Bearer <token>`, where a token is one of the account's API keys. Errors are
 * Meta's error object; every answer is a JSON object (clients throw on an empty body).
 */
import multipart from "@fastify/multipart";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { AppContext } from "../../app/context.ts";
import { sendMetaError, sendValidationError } from "./meta-errors.ts";
import { messageRoutes } from "./message-routes.ts";
import { phoneNumberRoutes } from "./phone-number-routes.ts";
import { templateRoutes } from "./template-routes.ts";
import { MAX_UPLOAD_BYTES } from "../../core/uploaded-media.ts";
import { authenticate } from "../../http/request-account.ts";
import { UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import { mediaRoutes } from "./media-routes.ts";
import { WA } from "../../core/whatsapp-errors.ts";

export async function metaFace(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  // Graph takes the token as a Bearer header or as the access_token query parameter.
  const tokenOf = (req: FastifyRequest) =>
    /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1] ?? (req.query as { access_token?: string } | undefined)?.access_token;
  app.addHook("onRequest", authenticate(ctx, tokenOf, (reply) => sendMetaError(reply, WA.accessTokenInvalid.code)));

  await app.register(multipart, { limits: { files: 1, fileSize: MAX_UPLOAD_BYTES + 1, fields: 10 } });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) return sendValidationError(reply, err);
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendMetaError(reply, WA.invalidParameter.code, err.message, undefined, status);
    ctx.log.error({ err, method: req.method, url: req.url }, "request failed");
    return sendMetaError(reply, WA.unknownApiError.code, "An unknown error occurred", undefined, 500);
  });

  const files = new UploadedMediaFiles(ctx.config.dataDir);
  messageRoutes(app, ctx);
  templateRoutes(app, ctx, files);
  phoneNumberRoutes(app, ctx);
  mediaRoutes(app, ctx, files);
}
