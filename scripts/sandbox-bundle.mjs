// Bundles the sandbox server (sandbox/main.ts) for Node, as `npm start` runs it: one ESM file,
// packages left external (resolved by Node at run time, so a deep import must name its file).
import path from "node:path";
import { build } from "esbuild";

/** Builds `sandbox/main.ts` under `root` to `outfile`. */
export function bundleSandbox(root, outfile) {
  return build({
    entryPoints: [path.join(root, "sandbox/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "warning",
  });
}
