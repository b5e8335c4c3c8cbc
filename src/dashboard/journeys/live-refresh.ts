/**
 * The live update script of the journey pages, inlined by LiveStatus:
 * written in TypeScript under src/browser/ (live-refresh.ts, where its
 * behaviour is described) and bundled by scripts/build-browser.mjs.
 */
export { LIVE_SCRIPT } from "../../generated/browser-scripts";
