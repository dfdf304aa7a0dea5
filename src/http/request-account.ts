/** Every authenticated request carries the caller's account, set by the face's auth hook. */
import type { Account } from "../core/account.ts";

declare module "fastify" {
  interface FastifyRequest {
    account: Account;
  }
}
