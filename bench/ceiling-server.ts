/**
 * The ceiling: a bare Fastify server that validates the same template-send body with the same
 * schema and answers the same response, storing nothing. The product is measured against it.
 */
import Fastify from "fastify";
import { uuidv7 } from "../src/app/ids.ts";
import { SingleMessageInfo } from "../src/faces/infobip/schemas/common.ts";
import { TemplateSendBody, TemplateSendResponse } from "../src/faces/infobip/schemas/send-schemas.ts";

const app = Fastify({
  logger: false,
  ajv: { customOptions: { allErrors: true, verbose: true, coerceTypes: false, removeAdditional: false } },
});
void SingleMessageInfo;
const status = {
  groupId: 1,
  groupName: "PENDING",
  id: 7,
  name: "PENDING_ENROUTE",
  description: "Message sent to next instance",
};
app.post(
  "/whatsapp/1/message/template",
  { schema: { body: TemplateSendBody, response: { 200: TemplateSendResponse } } },
  async (req) => {
    const body = req.body as TemplateSendBody;
    return {
      messages: body.messages.map((m) => ({
        to: m.to,
        messageCount: 1,
        messageId: m.messageId ?? uuidv7(),
        status,
      })),
      ...(body.messages.length > 1 ? { bulkId: body.bulkId ?? uuidv7() } : {}),
    };
  },
);
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: "127.0.0.1" });
process.stdout.write(`READY ${address}\n`);
