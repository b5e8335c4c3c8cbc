// zod's classic API (what "zod" exports) with its two locale namespaces swapped for English-only ones.
// An explicit export shadows the same name from `export *`, so `core` and `locales` here replace the
// package's own and the package's locale index is never reached. The classic API is not among zod's
// package exports, hence the path into node_modules (the module the package's own index re-exports).
export * from "../../node_modules/zod/v4/classic/external.js";
/** zod's core, without its locale index. */
export * as core from "./core";
/** The locales this Worker uses: English, which zod also registers itself on first schema construction. */
export * as locales from "./locales";
