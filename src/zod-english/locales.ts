// English only: zod's default locale, the one its schemas register on first use.
export { default as en } from "zod/v4/locales/en.js";
