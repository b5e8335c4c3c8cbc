// zod as @hono/zod-openapi extends it (see template-schema.ts): the process API documents these schemas.
import { z } from "@hono/zod-openapi";
import { REVERSAL_KINDS, type ReversalKind } from "../runtime/reversal-kinds";

/**
 * One rule of a template's `reversals` section (docs/reversals.md): the kinds
 * of reversal it answers and what follows. Effects left out do nothing.
 */
export const reversalRuleSchema = z.object({
  on: z.array(z.enum(REVERSAL_KINDS)).min(1).max(REVERSAL_KINDS.length),
  /** No further reminder for the journey's open waits (an invoice reversed is not chased). */
  stopReminders: z.boolean().default(false),
  /** A note written onto the journey's Notion card. */
  flagCard: z.string().min(1).max(300).optional(),
  /** Written to the deal's Clientflow status, as a timeout path's `dealStatus` is. */
  dealStatus: z.string().min(1).max(300).optional(),
  /** A HubSpot pipeline stage id the deal moves to (stage ids differ per portal, so the default sets none). */
  dealStage: z.string().min(1).max(100).optional(),
  /** An email to the owner from their own Gmail. */
  tellOwner: z.boolean().default(false),
  /** The next phase waits until the reversal is resolved or the owner releases the journey. */
  hold: z.boolean().default(false),
  /** Whether a refund of part of the charge counts (a rule naming `refund`). */
  partialRefunds: z.boolean().default(true),
});

export type ReversalRule = z.output<typeof reversalRuleSchema>;

/** The rules section: the first rule naming a kind answers it. */
export const reversalsSchema = z
  .array(reversalRuleSchema)
  .max(REVERSAL_KINDS.length)
  .refine((rules) => {
    const named = rules.flatMap((r) => r.on);
    return new Set(named).size === named.length;
  }, "Each kind of reversal may appear in one rule only");

/** What a reversal changes in a journey: the effects of the rule that answers it, in the order they run. */
export interface ReversalEffects {
  kind: ReversalKind;
  stopReminders: boolean;
  flagCard: string | null;
  dealStatus: string | null;
  dealStage: string | null;
  tellOwner: boolean;
  hold: boolean;
}

/**
 * The effects a template asks for when a reversal of `kind` reaches a journey,
 * or null when no rule answers it: a template saved before the section
 * existed, a kind its rules leave out, a partial refund its rule ignores.
 */
export function reversalEffects(
  rules: readonly ReversalRule[] | undefined,
  kind: ReversalKind,
  options: { partial?: boolean } = {},
): ReversalEffects | null {
  const rule = rules?.find((r) => r.on.includes(kind));
  if (!rule) return null;
  if (kind === "refund" && options.partial === true && !rule.partialRefunds) return null;
  return {
    kind,
    stopReminders: rule.stopReminders,
    flagCard: rule.flagCard ?? null,
    dealStatus: rule.dealStatus ?? null,
    dealStage: rule.dealStage ?? null,
    tellOwner: rule.tellOwner,
    hold: rule.hold,
  };
}
