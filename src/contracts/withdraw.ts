import { z } from "zod";
import { defineAppStep } from "../connections/action-context";
import { findContractByJourney, voidContract } from "../store/contracts";

/** What became of the journey's agreement when the journey was cancelled. */
export type AgreementUndo = "withdrawn" | "accepted" | "none";

/**
 * Withdraws a cancelled journey's agreement: a "sent" contract becomes
 * `void`, so its link shows the withdrawn page and an acceptance is refused
 * (src/hosted/contract/routes.tsx). An accepted agreement stays as the client
 * signed it (the record is evidence); a second run finds it void already.
 */
export const withdrawAgreement = defineAppStep({
  id: "contract.withdraw",
  idempotent: "natural",
  input: z.object({}),
  async run(ctx): Promise<{ outcome: AgreementUndo }> {
    const contract = await findContractByJourney(ctx.env.DB, ctx.journeyId);
    if (!contract) return { outcome: "none" };
    if (contract.status === "sent") await voidContract(ctx.env.DB, contract.id);
    const now = await findContractByJourney(ctx.env.DB, ctx.journeyId);
    return { outcome: now?.status === "accepted" ? "accepted" : "withdrawn" };
  },
});
