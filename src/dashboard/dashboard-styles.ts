/**
 * The owner pages' stylesheet: a neutral, high-contrast palette (text meets
 * WCAG AA on every background used), visible focus, large click targets.
 */
export const DASHBOARD_STYLES = `:root{--ink:#111827;--muted:#4b5563;--line:#e5e7eb;--bg:#f9fafb;--brand:#1d4ed8;--ok:#065f46;--ok-bg:#d1fae5;--warn:#92400e;--warn-bg:#fef3c7;--err:#991b1b;--err-bg:#fee2e2;--info:#1e40af;--info-bg:#dbeafe}
body{margin:0;max-width:none;padding:0;background:var(--bg);color:var(--ink)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
.topbar{display:flex;align-items:center;gap:1.5rem;padding:.6rem 1.5rem;background:#fff;border-bottom:1px solid var(--line)}
.topbar .brand{font-weight:700;color:var(--brand);text-decoration:none;font-size:1.1rem}
.topbar ul{display:flex;gap:.25rem;list-style:none;margin:0;padding:0}.topbar nav a{display:block;padding:.45rem .75rem;border-radius:6px;color:var(--muted);text-decoration:none}
.topbar nav a:hover{background:var(--bg);color:var(--ink)}.topbar nav a[aria-current=page]{background:var(--info-bg);color:var(--info);font-weight:600}
.logout{margin:0 0 0 auto;display:flex;align-items:center}
.sandbox-banner{margin:0;padding:.55rem 1.5rem;background:var(--warn-bg);color:var(--warn);border-bottom:1px solid #fcd34d}
.health-banner{margin:0;padding:.55rem 1.5rem;border-bottom:1px solid var(--line)}.health-warning{background:var(--warn-bg);color:var(--warn)}.health-failing{background:var(--err-bg);color:var(--err)}.health-banner a{color:inherit;font-weight:600}
.sandbox-banner strong{text-transform:uppercase;letter-spacing:.05em;margin-right:.5rem}
main{max-width:1100px;margin:0 auto;padding:1.5rem}
.page-header{display:flex;justify-content:space-between;align-items:flex-start;gap:1rem;margin-bottom:1rem}.page-header h1{margin:0 0 .25rem}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.muted{color:var(--muted)}.small{font-size:.875rem}.mono{font-family:ui-monospace,monospace;font-size:.85rem}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin-bottom:1rem}
.card h2{font-size:1.1rem;margin:0 0 .75rem}
.grid-2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
table.data{width:100%;border-collapse:collapse;background:#fff}table.data th{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
table.data td,table.data th{padding:.6rem .75rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:999px;font-size:.8rem;font-weight:600;white-space:nowrap}
.badge-ok{background:var(--ok-bg);color:var(--ok)}.badge-warn{background:var(--warn-bg);color:var(--warn)}.badge-error{background:var(--err-bg);color:var(--err)}
.badge-info{background:var(--info-bg);color:var(--info)}.badge-muted{background:var(--line);color:var(--muted)}
.btn,button,a.button{font:inherit;display:inline-block;padding:.4rem .85rem;border:1px solid #9ca3af;border-radius:6px;background:#fff;color:var(--ink);text-decoration:none;cursor:pointer;min-height:2.25rem;box-sizing:border-box}
.btn-primary{background:var(--brand);border-color:var(--brand);color:#fff}.btn-danger{border-color:var(--err);color:var(--err)}
.btn-quiet{border-color:transparent;background:transparent;color:var(--muted)}.btn-small{padding:.2rem .6rem;min-height:1.9rem;font-size:.875rem}
button:disabled{opacity:.55;cursor:not-allowed}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.notice{padding:.75rem 1rem;border-radius:6px}.notice-info{background:var(--info-bg);color:var(--info)}.notice-error{background:var(--err-bg);color:var(--err)}
.filters{display:flex;gap:.35rem;flex-wrap:wrap;margin-bottom:1rem}.filters a{padding:.3rem .8rem;border:1px solid var(--line);border-radius:999px;background:#fff;color:var(--ink);text-decoration:none}
.filters a[aria-current=page]{background:var(--ink);color:#fff;border-color:var(--ink)}
.field{display:block;margin-bottom:.75rem}.field>span{display:block;font-weight:600;font-size:.9rem;margin-bottom:.2rem}
.field input,.field select,.field textarea{font:inherit;width:100%;box-sizing:border-box;padding:.45rem .6rem;border:1px solid #9ca3af;border-radius:6px;background:#fff}
.field-error{color:var(--err);font-size:.875rem;margin:.2rem 0 0}[aria-invalid=true]{border-color:var(--err)!important}
.timeline{list-style:none;margin:0;padding:0;border-left:2px solid var(--line)}.timeline>li{position:relative;padding:.5rem 0 .9rem 1.25rem}
.timeline>li::before{content:"";position:absolute;left:-7px;top:.85rem;width:12px;height:12px;border-radius:50%;background:var(--line)}
.timeline>li.ok::before{background:var(--ok)}.timeline>li.error::before{background:var(--err)}.timeline>li.warn::before{background:#d97706}.timeline>li.info::before{background:var(--brand)}
.preview{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;background:#fff;white-space:pre-wrap}
details>summary{cursor:pointer}`;
