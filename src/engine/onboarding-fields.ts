/**
 * The merge fields onboarding emails can use (filled by
 * `onboardingMergeData`). Templates naming any other field are refused when
 * settings are saved.
 */
export const ONBOARDING_MERGE_FIELDS = {
  client: ["firstName", "lastName", "fullName", "email", "company"],
  deal: ["name", "url", "description"],
  invoice: ["url", "number", "amount", "dueDate"],
  project: ["startDate", "dueDate", "url"],
  agreement: ["url"],
  business: ["name", "senderName"],
} as const;

/** Merge data with every known field present (empty), for validating templates. */
export function emptyOnboardingData(): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(ONBOARDING_MERGE_FIELDS).map(([group, keys]) => [
      group,
      Object.fromEntries(keys.map((k) => [k, ""])),
    ]),
  );
}
