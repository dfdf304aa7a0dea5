/** `/openbsp/1/accounts/{accountId}/senders`: register, list, get and remove sender numbers. */
import { Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import { accountOrFail } from "../app/manage-accounts.ts";
import { registerSender, removeSender, senderOf } from "../app/manage-senders.ts";
import { AdminErrorBody } from "./admin-errors.ts";
import { AccountIdParams, NewSenderBody, SenderParams, SenderView } from "./admin-schemas.ts";
import type { AdminApp } from "./admin-scope.ts";
import { senderView } from "./admin-views.ts";

const tags = ["OpenBSP admin"];
const errors = { 400: AdminErrorBody, 401: AdminErrorBody, 404: AdminErrorBody, 409: AdminErrorBody };

export function senderRoutes(app: AdminApp, ctx: AppContext): void {
  app.post(
    "/accounts/:accountId/senders",
    {
      schema: {
        tags,
        summary:
          "Register a sender number (or change the account's own): its WABA and its id on each face, given or generated",
        params: AccountIdParams,
        body: NewSenderBody,
        response: { 201: SenderView, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(senderView(await registerSender(ctx, req.params.accountId, req.body))),
  );

  app.get(
    "/accounts/:accountId/senders",
    {
      schema: {
        tags,
        summary: "List the account's senders",
        params: AccountIdParams,
        response: { 200: Type.Object({ senders: Type.Array(SenderView) }), ...errors },
      },
    },
    async (req) => {
      await accountOrFail(ctx, req.params.accountId);
      const senders = await ctx.storage.catalog.listAccountSenders(req.params.accountId);
      return { senders: senders.map(senderView) };
    },
  );

  app.get(
    "/accounts/:accountId/senders/:number",
    {
      schema: {
        tags,
        summary: "Get one of the account's senders",
        params: SenderParams,
        response: { 200: SenderView, ...errors },
      },
    },
    async (req) => senderView(await senderOf(ctx, req.params.accountId, req.params.number)),
  );

  app.delete(
    "/accounts/:accountId/senders/:number",
    {
      schema: {
        tags,
        summary: "Remove a sender: no face sends from it any more",
        params: SenderParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await removeSender(ctx, req.params.accountId, req.params.number);
      return reply.code(204).send();
    },
  );
}
