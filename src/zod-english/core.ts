// "zod/v4/core" with `locales` replaced by the English-only namespace (an explicit export shadows `export *`).
export * from "zod/v4/core";
/** The locales this Worker uses (English only). */
export * as locales from "./locales";
