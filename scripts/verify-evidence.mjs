#!/usr/bin/env node
// Verifies an agreement evidence pack downloaded from Clientflow
// (GET /api/journeys/{id}/agreement-evidence, or the journey page's
// "Agreement evidence (JSON)" link) and prints each check it made.
//   npm run verify-evidence -- <pack.json> [--jwks <url>] [--key <jwks-or-jwk.json>]
// Keys: --key reads a JWKS (or one JWK) from a file, e.g. a copy of the
// deployment's /.well-known/clientflow-evidence-keys.json kept with the pack;
// --jwks fetches one; without either, the pack's own `signature.jwksUrl` is
// fetched, and the script says so (check that address is the deployment's:
// a pack cannot vouch for its own key). Exits 0 when every check passes, 1
// when one fails, 2 on a usage or read error. docs/evidence-pack.md.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { verifyEvidencePack } from "../src/contracts/evidence-format.ts";

function usage(message) {
  console.error(`${message}\nusage: npm run verify-evidence -- <pack.json> [--jwks <url>] [--key <file>]`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  options: { jwks: { type: "string" }, key: { type: "string" } },
  allowPositionals: true,
});
if (positionals.length !== 1) usage("Give exactly one pack file.");

let pack;
try {
  pack = JSON.parse(readFileSync(positionals[0], "utf8"));
} catch (error) {
  usage(`Cannot read ${positionals[0]} as JSON: ${error.message}`);
}

/** A key file holds a JWKS (`{ keys: [...] }`) or a single JWK. */
const asJwks = (value) => (Array.isArray(value?.keys) ? value : { keys: [value] });

let jwks;
let source;
if (values.key) {
  source = `key file ${values.key}`;
  try {
    jwks = asJwks(JSON.parse(readFileSync(values.key, "utf8")));
  } catch (error) {
    usage(`Cannot read ${values.key} as JSON: ${error.message}`);
  }
} else {
  const url = values.jwks ?? pack?.signature?.jwksUrl;
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) usage("No key: give --key <file> or --jwks <url>.");
  source = values.jwks ? `JWKS ${url}` : `JWKS ${url} (named by the pack itself: check it is your deployment's)`;
  try {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    jwks = asJwks(await response.json());
  } catch (error) {
    usage(`Cannot fetch ${url}: ${error.message}`);
  }
}

const result = await verifyEvidencePack(pack, jwks);
const evidence = pack?.evidence ?? {};
console.log(`Pack:  ${positionals[0]}`);
console.log(`Keys:  ${source} (${jwks.keys.length} key${jwks.keys.length === 1 ? "" : "s"})`);
if (evidence.journey?.id) console.log(`Journey ${evidence.journey.id}, contract ${evidence.agreement?.contractId}`);
for (const { check, ok, detail } of result.checks)
  console.log(`${ok ? "ok  " : "FAIL"}  ${check}${detail ? ` (${detail})` : ""}`);
if (result.ok) {
  const a = evidence.acceptance ?? {};
  console.log(`\nVerified. Accepted by "${a.name}" at ${a.acceptedAt} from ${a.ip || "an unrecorded IP"}.`);
  console.log(
    `${evidence.emails?.length ?? 0} email(s) in the trail, ${evidence.invoices?.length ?? 0} invoice(s); generated ${evidence.generatedAt}.`,
  );
} else {
  console.log("\nNOT VERIFIED: the pack was changed after it was signed, or the key is not the one that signed it.");
}
process.exit(result.ok ? 0 : 1);
