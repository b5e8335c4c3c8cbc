// The Worker exactly as `wrangler deploy` uploads it: `wrangler deploy --dry-run --outfile` writes the upload's
// multipart form (every module and every source map wrangler would send), which is read back here. Used by
// scripts/bundle-size.mjs (the budget counts every uploaded module) and bench/startup.mjs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Parses an upload form written by `--outfile`: its modules (name, code, gzip bytes) in upload order and its
 * source maps by name ("index.js.map"). The form's first line is its boundary, which is all a parser needs.
 */
export async function readUploadForm(file) {
  const body = readFileSync(file);
  const boundary = body.subarray(0, body.indexOf("\r\n")).toString().replace(/^--/, "");
  const form = await new Response(body, {
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  }).formData();
  const modules = [];
  const maps = new Map();
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") continue;
    const bytes = Buffer.from(await value.arrayBuffer());
    if (value.type === "application/source-map") maps.set(name, JSON.parse(bytes.toString("utf8")));
    else if (value.type.startsWith("application/javascript")) {
      modules.push({ name, code: bytes, gzipBytes: gzipSync(bytes).length });
    }
  }
  return { modules, maps };
}

/**
 * Builds the Worker of `config` (wrangler.toml by default) as `wrangler deploy` would, without an account,
 * and returns its upload form (readUploadForm). `args` adds wrangler options (e.g. ["--env", "staging"]).
 */
export async function dryRunUpload(root, { config = path.join(root, "wrangler.toml"), args = [] } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), "clientflow-upload-"));
  try {
    const outfile = path.join(work, "upload.form");
    execFileSync(
      process.execPath,
      [
        path.join(root, "node_modules/wrangler/bin/wrangler.js"),
        "deploy",
        "--dry-run",
        "--config",
        config,
        "--outdir",
        path.join(work, "out"),
        "--outfile",
        outfile,
        ...args,
      ],
      {
        cwd: root,
        stdio: "pipe",
        env: {
          ...process.env,
          XDG_CONFIG_HOME: path.join(root, ".wrangler/config"),
          WRANGLER_LOG_PATH: path.join(root, ".wrangler/logs"),
          WRANGLER_SEND_METRICS: "false",
        },
      },
    );
    return await readUploadForm(outfile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
