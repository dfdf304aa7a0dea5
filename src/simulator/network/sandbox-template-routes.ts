/**
 * Sandbox levers on templates: WhatsApp pauses a template whose quality drops and disables one
 * paused too often; sends of it then fail (132015, 132016). Here a test makes that happen. And a
 * person can review a PENDING template in the simulated reviewer's place (approve, or reject with a reason).
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { decideTemplate, setTemplateQuality } from "../../app/manage-templates.ts";
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

  typed.post(
    "/sandbox/templates/:id/review",
    {
      schema: {
        tags: ["Sandbox"],
        summary: "Approve or reject a PENDING template in the simulated reviewer's place",
        params: Params,
        body: Type.Object({
          status: Type.Enum(["APPROVED", "REJECTED"]),
          reason: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description:
                "Required to reject; as Meta words it: INVALID_FORMAT, PROMOTIONAL, TAG_CONTENT_MISMATCH, …",
            }),
          ),
        }),
        response: {
          200: Type.Object({
            id: Type.String(),
            status: Type.String(),
            reason: Type.Optional(Type.String()),
          }),
          400: Type.Object({ error: Type.String(), field: Type.String() }),
          404: Type.Object({ error: Type.String() }),
          409: Type.Object({ error: Type.String() }),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { status, reason } = req.body;
      if (status === "REJECTED" && reason === undefined)
        return reply.code(400).send({ error: "reason is required to reject a template", field: "reason" });
      const result = await decideTemplate(
        ctx,
        id,
        status === "REJECTED" ? { status, reason: reason as string } : { status: "APPROVED" },
      );
      if (result.kind === "not-found") return reply.code(404).send({ error: `no template ${id}` });
      if (result.kind === "invalid")
        return reply
          .code(409)
          .send({ error: result.errors.map((e) => `${e.field} ${e.message}`).join("; ") });
      const t = result.template;
      return { id: t.id, status: t.status, ...(t.rejectionReason ? { reason: t.rejectionReason } : {}) };
    },
  );
}
