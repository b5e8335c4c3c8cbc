/** A duration as the owner reads it: minutes under an hour, hours under two days, then days. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  const sign = ms < 0 ? "−" : "";
  const abs = Math.abs(ms);
  const hours = abs / 3_600_000;
  if (hours < 1) return `${sign}${Math.round(abs / 60_000)} min`;
  if (hours < 48) return `${sign}${hours.toFixed(1)} h`;
  return `${sign}${(hours / 24).toFixed(1)} d`;
}

/** An amount in a currency's minor unit (as Stripe counts it), formatted in that currency. */
export function formatAmount(minor: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  } catch {
    // A currency code Intl does not know: the minor amount and the code, unformatted.
    return `${minor} ${currency.toUpperCase()} (minor units)`;
  }
}

/** A share (0–1) as a percentage with one decimal. */
export const formatRate = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** `YYYY-MM` as "Mar 2026". */
export function formatMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00.000Z`);
  if (Number.isNaN(date.getTime())) return month;
  return date.toLocaleString("en", { month: "short", year: "numeric", timeZone: "UTC" });
}
