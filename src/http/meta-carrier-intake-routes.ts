/**
 * Where Meta posts the webhooks of a Meta-carried sender's app: `/openbsp/1/carriers/meta/webhook`
 * for the seeded sender, `/openbsp/1/carriers/meta/webhook/{sender}` for any other. The GET is
 * Meta's subscription handshake; a POST is kept only with a valid X-Hub-Signature-256 over its
 * exact bytes (401 otherwise, nothing kept), stored raw and durably, then answered 200 — the
 * processing comes after (src/dispatch/carrier-intake.ts), so a slow store never makes Meta retry.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import { type MetaCarrierSettings, metaCarrierOf } from "../core/account.ts";
import { publicBase } from "../faces/kit/public-base.ts";
import type { RouteTypeProvider } from "../fastify/type-provider.ts";
import { hasValidSignature, SIGNATURE_HEADER } from "../meta-graph/webhook-signature.ts";

const tags = ["Meta carrier intake"];
export const META_INTAKE_PATH = "/openbsp/1/carriers/meta/webhook";

const Handshake = Type.Object({
  "hub.mode": Type.Optional(Type.String({ maxLength: 100 })),
  "hub.verify_token": Type.Optional(Type.String({ maxLength: 1000 })),
  "hub.challenge": Type.Optional(Type.String({ maxLength: 1000 })),
});
const SenderParam = Type.Object({ sender: Type.String({ pattern: "^[0-9]{1,20}$" }) });

export async function metaCarrierIntakeRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    // The signature is over the exact bytes: this scope keeps the body as it came.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    const typed = scope.withTypeProvider<RouteTypeProvider>();

    const settingsOf = async (number: string) => {
      const sender = await ctx.storage.catalog.findSender(number);
      const meta = sender && metaCarrierOf(sender);
      return meta ? { number, meta } : undefined;
    };
    const notCarried = (reply: FastifyReply, number: string) =>
      reply.code(404).send({ error: `sender ${number} is not carried by Meta's Cloud API` });

    const handshake = async (
      req: FastifyRequest<{ Querystring: Static<typeof Handshake> }>,
      reply: FastifyReply,
      number: string,
    ) => {
      const found = await settingsOf(number);
      if (!found) return notCarried(reply, number);
      const q = req.query;
      if (q["hub.mode"] !== "subscribe")
        return reply.code(400).send({ error: "hub.mode must be subscribe", field: "hub.mode" });
      if (q["hub.verify_token"] !== found.meta.verifyToken)
        return reply.code(403).send({ error: "hub.verify_token does not match", field: "hub.verify_token" });
      if (!q["hub.challenge"])
        return reply.code(400).send({ error: "hub.challenge is missing", field: "hub.challenge" });
      return reply.code(200).type("text/plain").send(q["hub.challenge"]);
    };

    const intake = async (req: FastifyRequest, reply: FastifyReply, number: string) => {
      const found = await settingsOf(number);
      if (!found) return notCarried(reply, number);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!signedByApp(found.meta, body, req.headers[SIGNATURE_HEADER]))
        return reply.code(401).send({
          error: `${SIGNATURE_HEADER} is missing or does not sign the body`,
          field: SIGNATURE_HEADER,
        });
      await ctx.storage.carrierInbox.put({
        carrier: "meta",
        sender: number,
        body: body.toString("utf8"),
        publicBase: publicBase(ctx, req),
        receivedAt: ctx.clock.now(),
      });
      return reply.code(200).send({ success: true });
    };

    typed.get(
      META_INTAKE_PATH,
      {
        schema: {
          tags,
          summary: "Meta's subscription handshake for the seeded sender's app",
          querystring: Handshake,
        },
      },
      (req, reply) => handshake(req, reply, ctx.config.sender),
    );
    typed.post(
      META_INTAKE_PATH,
      { schema: { tags, summary: "Meta's webhooks for the seeded sender's app (signed)" } },
      (req, reply) => intake(req, reply, ctx.config.sender),
    );
    typed.get(
      `${META_INTAKE_PATH}/:sender`,
      {
        schema: {
          tags,
          summary: "Meta's subscription handshake for a sender's app",
          querystring: Handshake,
          params: SenderParam,
        },
      },
      (req, reply) => handshake(req, reply, req.params.sender),
    );
    typed.post(
      `${META_INTAKE_PATH}/:sender`,
      { schema: { tags, summary: "Meta's webhooks for a sender's app (signed)", params: SenderParam } },
      (req, reply) => intake(req, reply, req.params.sender),
    );
  });
}

function signedByApp(
  meta: MetaCarrierSettings,
  body: Buffer,
  header: string | string[] | undefined,
): boolean {
  return typeof header === "string" && hasValidSignature(meta.appSecret, body, header);
}
