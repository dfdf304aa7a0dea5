/** `/openbsp/1/accounts`: create, list, get, change and delete accounts. */
import { Type } from "typebox";
import type { AppContext } from "../app/context.ts";
import { accountOrFail, changeAccount, createAccount, deleteAccount } from "../app/manage-accounts.ts";
import { AdminErrorBody } from "./admin-errors.ts";
import { AccountChangeBody, AccountIdParams, AccountView, NewAccountBody } from "./admin-schemas.ts";
import type { AdminApp } from "./admin-scope.ts";
import { accountView } from "./admin-views.ts";

const tags = ["OpenBSP admin"];
const errors = { 400: AdminErrorBody, 401: AdminErrorBody, 404: AdminErrorBody };

export function accountRoutes(app: AdminApp, ctx: AppContext): void {
  app.post(
    "/accounts",
    {
      schema: {
        tags,
        summary: "Create an account (then give it API keys and senders)",
        body: NewAccountBody,
        response: { 201: AccountView, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(accountView(await createAccount(ctx, req.body))),
  );

  app.get(
    "/accounts",
    {
      schema: {
        tags,
        summary: "List accounts",
        response: { 200: Type.Object({ accounts: Type.Array(AccountView) }), ...errors },
      },
    },
    async () => ({ accounts: (await ctx.storage.catalog.listAccounts()).map(accountView) }),
  );

  app.get(
    "/accounts/:accountId",
    {
      schema: {
        tags,
        summary: "Get an account",
        params: AccountIdParams,
        response: { 200: AccountView, ...errors },
      },
    },
    async (req) => accountView(await accountOrFail(ctx, req.params.accountId)),
  );

  app.patch(
    "/accounts/:accountId",
    {
      schema: {
        tags,
        summary: "Rename an account or change its business verification",
        params: AccountIdParams,
        body: AccountChangeBody,
        response: { 200: AccountView, ...errors },
      },
    },
    async (req) => accountView(await changeAccount(ctx, req.params.accountId, req.body)),
  );

  app.delete(
    "/accounts/:accountId",
    {
      schema: {
        tags,
        summary: "Delete an account: its keys stop working at once, its senders are freed",
        params: AccountIdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await deleteAccount(ctx, req.params.accountId);
      return reply.code(204).send();
    },
  );
}
