/**
 * Currencies without minor units in Stripe.
 * https://docs.stripe.com/currencies#zero-decimal
 */
const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);

/** Converts a major-unit amount (HubSpot's decimal) to Stripe's integer minor units. */
export function toMinorUnits(amount: number, currency: string): number {
  const factor = ZERO_DECIMAL.has(currency.toLowerCase()) ? 1 : 100;
  return Math.round(amount * factor);
}

/** One formatter per currency: making an Intl.NumberFormat costs far more than formatting with it. */
const formatters = new Map<string, Intl.NumberFormat>();

/** Formats minor units for people, e.g. 150000 usd → "$1,500.00". */
export function formatMoney(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  const factor = ZERO_DECIMAL.has(code.toLowerCase()) ? 1 : 100;
  let format = formatters.get(code);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency: code });
    formatters.set(code, format);
  }
  return format.format(minor / factor);
}
