/**
 * The Cloud API's URL shape: every route works under any Graph version prefix (`/v17.0/…`,
 * `/v24.0/…`) and without one, as Meta's clients use both. Objects are addressed by numeric id.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import type { Sender } from "../../core/account.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { pathParam } from "../kit/request-fields.ts";
import { sendMetaError } from "./meta-errors.ts";
import { META_PHONE_NUMBER_ID } from "./meta-settings.ts";

const VERSION = /^v\d{1,2}\.\d$/;

/** The path parameters of Meta's routes. */
export const PhoneNumberPath = Type.Object({ phoneNumberId: Type.String() });
export const WabaPath = Type.Object({ wabaId: Type.String() });
export const ObjectPath = Type.Object({ objectId: Type.String() });
/** `?phone_number_id=` on a media id: act only if the media is that phone number's (Meta's media routes). */
export const MediaObjectQuery = Type.Object({
  phone_number_id: Type.Optional(
    Type.String({ maxLength: 20, description: "Only if the media belongs to this phone number" }),
  ),
});
/** `GET /{id}`'s query: a media's phone number, a flow's `fields` (`preview`, …) and `invalidate`. */
export const ObjectQuery = Type.Object({
  ...MediaObjectQuery.properties,
  fields: Type.Optional(
    Type.String({ maxLength: 1000, description: "Fields to answer (flows: preview, json_version, …)" }),
  ),
  invalidate: Type.Optional(Type.String({ description: "`true`: a new preview link for a flow" })),
});

/**
 * Every route again under a Graph version prefix, hidden from the document: declared in a scope
 * with the `/:version` prefix whose routes answer only once the version is one (the check runs
 * where the handler would, after auth and validation).
 */
export function versionPrefixed(declare: (app: FaceApp) => void) {
  return async (versioned: FaceApp): Promise<void> => {
    versioned.addHook("onRoute", (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    versioned.addHook("preHandler", (req, reply, done) => {
      const version = pathParam(req, "version") ?? "";
      if (VERSION.test(version)) return done();
      // `/{id}/{edge}` without a version lands here when the edge is one OpenBSP does not serve.
      if (isGraphPath(req.url)) answerUnbuiltGraphCall(req, reply);
      else
        sendMetaError(
          reply,
          WA.unknownPathComponents.code,
          `Unknown path components: /${version}`,
          undefined,
          400,
        );
    });
    declare(versioned);
  };
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
  return sendMetaError(
    reply,
    WA.capabilityMissing.code,
    `OpenBSP does not serve ${req.method} ${path}: this Graph API call is not built`,
    undefined,
    501,
  );
}

/** Graph's answer for an id the token cannot see, whether it exists or not. */
export function unknownObject(reply: FastifyReply, method: string, id: string) {
  return sendMetaError(
    reply,
    WA.invalidParameter.code,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    33,
  );
}

/** The sender named by `:phoneNumberId`, if it belongs to the caller's account; else answers. */
export async function senderOf(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  phoneNumberId: string,
): Promise<Sender | undefined> {
  const sender = await ctx.storage.catalog.findSenderByAlias(META_PHONE_NUMBER_ID, phoneNumberId);
  if (sender && sender.accountId === req.account.id) return sender;
  unknownObject(reply, req.method, phoneNumberId);
  return undefined;
}
