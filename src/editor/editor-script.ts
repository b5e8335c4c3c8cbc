/**
 * The process editor's script, inlined by the editor page: written in
 * TypeScript under src/browser/ (editor.ts) and bundled by
 * scripts/build-browser.mjs.
 */
export { EDITOR_SCRIPT } from "../generated/browser-scripts";
