// The Worker's secrets in one list (named as in src/env.ts and integrations/core/provider.ts, described
// in the README), and how the deploy gets their values: a dotenv file, else a hidden prompt on a TTY.
// Values are never printed.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * Every secret: `required` ones must exist at Cloudflare after a deploy; `generate` makes a value when
 * none exists yet; `later` ones come from a step after the first deploy (setup:providers, /operator/notion).
 */
export const SECRETS = [
  { name: "ENCRYPTION_KEY", required: true, generate: () => randomBytes(32).toString("base64") },
  { name: "OPERATOR_TOKEN", required: true },
  { name: "GOOGLE_CLIENT_ID", required: true },
  { name: "GOOGLE_CLIENT_SECRET", required: true },
  { name: "HUBSPOT_CLIENT_ID", required: true },
  { name: "HUBSPOT_CLIENT_SECRET", required: true },
  { name: "NOTION_CLIENT_ID", required: true },
  { name: "NOTION_CLIENT_SECRET", required: true },
  { name: "STRIPE_CLIENT_ID", required: true },
  { name: "STRIPE_PLATFORM_SECRET_KEY", required: true },
  { name: "STRIPE_WEBHOOK_SECRET", required: false, later: "npm run setup:providers creates the endpoint and sets it" },
  { name: "NOTION_WEBHOOK_VERIFICATION_TOKEN", required: false, later: "or confirm the token on /operator/notion" },
  { name: "ENCRYPTION_KEY_PREVIOUS", required: false },
  { name: "HUBSPOT_CLIENT_SECRET_PREVIOUS", required: false },
  { name: "STRIPE_WEBHOOK_SECRET_PREVIOUS", required: false },
];

/** Parses dotenv text: `NAME=value`, optional quotes, # comments; no expansion (a `$` stays a `$`). */
export function parseDotenv(text) {
  const values = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2].trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    if (value) values[match[1]] = value;
  }
  return values;
}

/** The known secrets a dotenv file holds (other names are ignored: the file may be a whole .dev.vars). */
export function readSecretsFile(file) {
  const all = parseDotenv(readFileSync(file, "utf8"));
  return Object.fromEntries(SECRETS.filter((s) => all[s.name]).map((s) => [s.name, all[s.name]]));
}

/** Asks for one value on the terminal without echoing it. Resolves "" when the operator skips it. */
export function promptHidden(question) {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    let value = "";
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const onData = (chunk) => {
      for (const char of chunk) {
        if (char === "\u0003") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          reject(new Error("cancelled"));
          return;
        }
        if (char === "\r" || char === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          resolve(value);
          return;
        }
        if (char === "\u007f") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}
