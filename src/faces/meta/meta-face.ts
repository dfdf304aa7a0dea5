/**
 * The Meta Cloud API face: Meta's Graph API for WhatsApp, wire-compatible, over the core.
 * `Authorization: Bearer <token>` (or `access_token` in the query), where a token is one of the
 * account's API keys. Errors are Meta's error object; every answer is a JSON object (clients throw
 * on an empty body).
 */
import multipart from "@fastify/multipart";
import { MAX_UPLOAD_BYTES } from "../../core/uploaded-media.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import { bearerToken } from "../kit/bearer-token.ts";
import type { Dialect, FaceApp } from "../kit/dialect.ts";
import { queryParam } from "../kit/request-fields.ts";
import { flowRoutes } from "./flow-routes.ts";
import { downloadRoute, mediaRoutes } from "./media-routes.ts";
import { messageRoutes } from "./message-routes.ts";
import { sendMetaError, sendValidationError } from "./meta-errors.ts";
import { metaReports } from "./meta-reports.ts";
import { answerUnbuiltGraphCall, isGraphPath, versionPrefixed } from "./meta-routing.ts";
import { phoneNumberRoutes } from "./phone-number-routes.ts";
import { templateRoutes } from "./template-routes.ts";
import { appAccessToken, webhookConfigRoutes } from "./webhook-config-routes.ts";

export const metaDialect: Dialect = {
  name: "meta",
  reports: metaReports,
  auth: {
    // Graph takes the token as a Bearer header or as the access_token query parameter.
    keyOf: (req) => bearerToken(req.headers.authorization) ?? queryParam(req, "access_token"),
    refuse: (reply) => sendMetaError(reply, WA.accessTokenInvalid.code),
    otherwise: appAccessToken,
  },
  errors: {
    validation: (err, _req, reply) => sendValidationError(reply, err),
    client: (reply, status, message) =>
      sendMetaError(reply, WA.invalidParameter.code, message, undefined, status),
    internal: (reply) =>
      sendMetaError(reply, WA.unknownApiError.code, "An unknown error occurred", undefined, 500),
  },
  // A Graph-shaped call no route serves answers 501 in Meta's error object, naming what is not built.
  notFound: { claims: isGraphPath, answer: answerUnbuiltGraphCall },
  routes: async (app, ctx) => {
    await app.register(multipart, { limits: { files: 1, fileSize: MAX_UPLOAD_BYTES + 1, fields: 10 } });
    const files = new UploadedMediaFiles(ctx.config.mediaDir);
    const graph = (scope: FaceApp) => {
      messageRoutes(scope, ctx);
      templateRoutes(scope, ctx, files);
      flowRoutes(scope, ctx);
      phoneNumberRoutes(scope, ctx);
      mediaRoutes(scope, ctx, files);
      webhookConfigRoutes(scope, ctx);
    };
    graph(app);
    downloadRoute(app, ctx, files);
    await app.register(versionPrefixed(graph), { prefix: "/:version" });
  },
};
