/**
 * Sandbox levers on templates: WhatsApp pauses a template whose quality drops and disables one
 * paused too often; sends of it then fail (132015, 132016). Here a test makes that happen.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { setTemplateQuality } from "../../app/manage-templates.ts";
import type { RouteTypeProvider } from "../../fastify/type-provider.ts";

const Params = Type.Object({ id: Type.String({ pattern: "^[0-9]{1,20}$" }) });
const Body = Type.Object({ status: Type.Enum(["APPROVED", "PAUSED", "DISABLED"]) });

export function sandboxTemplateRoutes(app: FastifyInstance, ctx: AppContext): void {
  const typed = app.withTypeProvider<RouteTypeProvider>();
  typed.post(
    "/sandbox/templates/:id/status",
    {
      schema: {
        tags: ["Sandbox"],
        summary: "Pause, disable or reinstate an approved template, as WhatsApp's quality system does",
        params: Params,
        body: Body,
        response: {
          200: Type.Object({ id: Type.String(), status: Type.String() }),
          404: Type.Object({ error: Type.String() }),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { status } = req.body;
      const t = await setTemplateQuality(ctx, id, status);
      if (!t) return reply.code(404).send({ error: `no template ${id}` });
      return { id: t.id, status: t.status };
    },
  );
}
