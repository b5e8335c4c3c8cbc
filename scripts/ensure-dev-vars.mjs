// Creates .dev.vars from .dev.vars.example on first start, with a fresh
// ENCRYPTION_KEY, so `npm start` works on a fresh clone. Never overwrites.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const target = new URL("../.dev.vars", import.meta.url);
if (existsSync(target)) process.exit(0);
const example = readFileSync(new URL("../.dev.vars.example", import.meta.url), "utf8");
const key = randomBytes(32).toString("base64");
writeFileSync(target, example.replace(/^ENCRYPTION_KEY=$/m, `ENCRYPTION_KEY=${key}`), { mode: 0o600 });
console.log(
  "Created .dev.vars from .dev.vars.example (with a new ENCRYPTION_KEY). Fill in your provider values there.",
);
