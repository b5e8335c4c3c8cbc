import type { ConnectionContext } from "../core/context";
import { ConnectionError } from "../core/errors";

/** The connected Google account's address: the From of every email (and the owner's address). */
export function googleSender(ctx: Pick<ConnectionContext<"google">, "config" | "accountId">): string {
  const email = ctx.config.email ?? ctx.accountId;
  if (!email) throw new ConnectionError("google", "Reconnect google: the account email is unknown");
  return email;
}
