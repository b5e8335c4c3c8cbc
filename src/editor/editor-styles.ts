/** The process editor's own styles, on top of the dashboard's. */
export const EDITOR_STYLES = `main{max-width:1280px}
[hidden]{display:none!important}
.editor-layout{display:grid;grid-template-columns:minmax(0,1fr) 290px;gap:1rem;align-items:start}
.editor-side{position:sticky;top:1rem}
.phase-head{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
.field>label,.field>.label{display:block;font-weight:600;font-size:.9rem;margin-bottom:.2rem}
.field.check{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}.field.check>label{font-weight:500;margin:0;flex:1}
.field.check input{width:1.1rem;height:1.1rem}.field.check .field-error{flex-basis:100%}
.field input[readonly],.field textarea[readonly],.field select:disabled{background:var(--bg);color:var(--ink)}
.hint{margin:.2rem 0 0}
fieldset{border:1px solid var(--line);border-radius:6px;padding:.5rem .9rem .25rem;margin:0 0 .9rem}
legend{font-weight:600;font-size:.9rem;padding:0 .3rem}
.inline{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:0 .75rem}
details.step{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;background:#fff}
details.step>summary{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;padding:.6rem .8rem;list-style:none}
details.step>summary::-webkit-details-marker{display:none}
details.step>summary::before{content:"▸";color:var(--muted)}details.step[open]>summary::before{content:"▾"}
details.step[open]>summary{border-bottom:1px solid var(--line)}
.step-number{display:inline-block;min-width:1.6rem;text-align:center;border-radius:999px;background:var(--bg);font-size:.8rem;font-weight:600;padding:.05rem .3rem}
.step-title{font-weight:600}.step-meta{flex-basis:100%;padding-left:2.6rem}
.step-body{padding:.8rem}
.step-errors{margin:0 0 .8rem;padding-left:1.2rem}
.action-name{margin:.35rem 0 0}
.email-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:.9rem;align-items:start}
.email-preview{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;background:var(--bg)}
.email-preview h4{margin:0 0 .4rem;font-size:.9rem}.preview-subject{margin:0 0 .4rem}
.email-preview .preview{font-size:.9rem;max-height:24rem;overflow:auto}
.preview-frame{width:100%;min-height:24rem;border:1px solid var(--line);border-radius:6px;background:#fff}
.merge-fields ul{columns:2;padding-left:1rem;margin:.4rem 0}
.form-actions{display:flex;align-items:center;gap:1rem;margin:1rem 0 2rem}
.history{list-style:none;margin:0;padding:0}.history>li{padding:.5rem 0;border-bottom:1px solid var(--line)}
.history>li[aria-current=true]{border-left:3px solid var(--brand);padding-left:.5rem}
.history .actions{margin-top:.3rem}.inline-form{display:inline;margin:0}
.sample{display:grid;grid-template-columns:auto 1fr;gap:.2rem .6rem;margin:.5rem 0}.sample dt{font-weight:600}.sample dd{margin:0}
#editor-summary ul{margin:.4rem 0 0;padding-left:1.2rem}#editor-summary a{color:inherit}
.process-form:not(.scripted) [data-requires-script]{display:none}
.step-tools,.phase-tools,.action-choice{display:flex;flex-wrap:wrap;align-items:end;gap:.4rem .6rem}
.step-tools{margin:-.3rem 0 .6rem;padding-left:.8rem}.phase-tools{margin-top:.8rem}.phase-tools .field{margin:0}
.action-choice .field{flex:1;margin:0}.actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:1000px){.editor-layout{grid-template-columns:1fr}.editor-side{position:static}.email-grid{grid-template-columns:1fr}}`;
