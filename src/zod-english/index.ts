// The Worker bundles this module in place of "zod" (wrangler.toml `[alias]`): the same `z` and the same
// named exports, without zod's 62 translations of its error messages. Every importer, ours and
// @hono/zod-openapi's, takes `{ z }` from "zod"; @hono/zod-openapi hands that whole namespace to
// zod-to-openapi's extension, so the bundler keeps every export of it, `z.locales` (262 KiB, 39 KiB gzip)
// and `z.core.locales` included, although the Worker only ever speaks English. Type-checking and the
// vitest suites see the real package; the bundle differs only in `z.locales` / `z.core.locales`,
// which here hold English alone.
import * as z from "./external";

export * from "./external";
/** zod's namespace, as `import { z } from "zod"` gives it. */
export { z, z as default };
