/**
 * The script that sends the dashboard's action forms through the JSON API,
 * inlined by the pages that have such forms: written in TypeScript under
 * src/browser/ (api-forms.ts, where its behaviour is described) and bundled
 * by scripts/build-browser.mjs.
 */
export { API_FORMS_SCRIPT } from "../generated/browser-scripts";
