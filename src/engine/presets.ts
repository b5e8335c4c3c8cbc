import type { z } from "zod";
import { DEFAULT_TEMPLATE } from "./default-template";
import { ONBOARDING_PRESET } from "./onboarding-preset";
import type { templateSchema } from "./template-schema";

/**
 * The templates Clientflow ships, by id: `default` (the whole client
 * journey, what a new workspace runs) and `onboarding` (onboarding only:
 * full invoice, welcome email, payment reminders). A workspace runs a preset
 * by saving it as its template; the owner edits it from there.
 */
export const PRESETS = {
  default: DEFAULT_TEMPLATE,
  onboarding: ONBOARDING_PRESET,
} as const satisfies Record<string, z.input<typeof templateSchema>>;

export type PresetId = keyof typeof PRESETS;

/** A copy of a preset, to save or change without touching the shipped one. */
export const presetTemplate = (id: PresetId): z.input<typeof templateSchema> => structuredClone(PRESETS[id]);
