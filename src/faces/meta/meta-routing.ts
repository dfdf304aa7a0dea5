/**
 * The Cloud API's URL shape: every route works under any Graph version prefix (`/v17.0/…`,
 * `/v24.0/…`) and without one, as Meta's clients use both. Objects are addressed by numeric id.
 */
import type { FaceApp } from "../kit/dialect.ts";
import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from "fastify";
import type { AppContext } from "../../app/context.ts";
import type { Sender } from "../../core/account.ts";
import { sendMetaError } from "./meta-errors.ts";

const VERSION = /^v\d{1,2}\.\d$/;

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function metaRoute(
  app: FaceApp,
  method: "GET" | "POST" | "DELETE",
  path: string,
  opts: RouteShorthandOptions & { handler: Handler },
): void {
  const { handler, ...rest } = opts;
  app.route({ method, url: path, ...rest, handler });
  app.route({
    method,
    url: `/:version${path}`,
    ...rest,
    schema: { ...rest.schema, hide: true },
    handler: (req, reply) => {
      const { version } = req.params as { version: string };
      if (!VERSION.test(version)) {
        // `/{id}/{edge}` without a version lands here when the edge is one OpenBSP does not serve.
        if (isGraphPath(req.url)) return answerUnbuiltGraphCall(req, reply);
        return sendMetaError(reply, 2500, `Unknown path components: /${version}`, undefined, 400);
      }
      return handler(req, reply);
    },
  });
}

/** A path shaped like a Graph API call: a version prefix, or a numeric object id first. */
const GRAPH_PATH = /^\/(v\d{1,2}\.\d\/|\d+(\/|\?|$))/;

export const isGraphPath = (url: string): boolean => GRAPH_PATH.test(url);

/**
 * For a Graph API call no route serves: 501 with Meta's error object (clients read `error.code`)
 * naming what is not built.
 */
export function answerUnbuiltGraphCall(req: FastifyRequest, reply: FastifyReply) {
  const path = req.url.split("?")[0];
  return sendMetaError(reply, 3, `OpenBSP does not serve ${req.method} ${path}: this Graph API call is not built`, undefined, 501);
}

/** Graph's answer for an id the token cannot see, whether it exists or not. */
export function unknownObject(reply: FastifyReply, method: string, id: string) {
  return sendMetaError(
    reply,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    33,
  );
}

/** The sender named by `:phoneNumberId`, if it belongs to the caller's account; else answers. */
export async function senderOf(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): Promise<Sender | undefined> {
  const { phoneNumberId } = req.params as { phoneNumberId: string };
  const sender = await ctx.store.findSenderByFaceId("meta", phoneNumberId);
  if (sender && sender.accountId === req.account.id) return sender;
  unknownObject(reply, req.method, phoneNumberId);
  return undefined;
}
