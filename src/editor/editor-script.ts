/**
 * The process editor's script (plain ES2020, no build step): builds the
 * template JSON from the form and PUTs it with the CSRF header, places
 * validation problems next to their fields and in a summary, previews email
 * steps against the sample client (debounced), and shows only the trigger
 * fields of the chosen trigger type.
 */
export const EDITOR_SCRIPT = `(() => {
  const form = document.getElementById("process-editor");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  let original = JSON.parse(document.getElementById("template-data").textContent);
  const templateId = form.dataset.templateId;
  const status = document.getElementById("editor-status");
  const summary = document.getElementById("editor-summary");
  const headers = { "content-type": "application/json", "x-csrf-token": csrf };
  const STEP = /^phases\\.\\d+\\.steps\\.\\d+/;

  const byPath = (path) => form.querySelector('[data-path="' + path + '"]');
  const field = (base, suffix) => byPath(base + suffix);
  const value = (base, suffix) => { const el = field(base, suffix); return el ? el.value : ""; };

  function setPath(obj, path, v) {
    const keys = path.split(".");
    let o = obj;
    for (let i = 0; i < keys.length - 1; i++) {
      if (o[keys[i]] === null || typeof o[keys[i]] !== "object") o[keys[i]] = /^\\d+$/.test(keys[i + 1]) ? [] : {};
      o = o[keys[i]];
    }
    o[keys[keys.length - 1]] = v;
  }
  function deletePath(obj, path) {
    const keys = path.split(".");
    let o = obj;
    for (let i = 0; i < keys.length - 1; i++) { o = o[keys[i]]; if (o === null || typeof o !== "object") return; }
    delete o[keys[keys.length - 1]];
  }

  function readTrigger(base) {
    const type = value(base, ".trigger.type");
    if (type === "event") {
      const t = { type, event: value(base, ".trigger.event") };
      const s = value(base, ".trigger.status").trim();
      if (s) t.status = s;
      const after = value(base, ".trigger.timeout.after.amount");
      if (after !== "") {
        t.timeout = { after: { amount: Number(after), unit: value(base, ".trigger.timeout.after.unit") }, outcome: value(base, ".trigger.timeout.outcome") };
        const d = value(base, ".trigger.timeout.dealStatus").trim();
        if (d) t.timeout.dealStatus = d;
      }
      return t;
    }
    if (type === "delay") {
      const amount = value(base, ".trigger.wait.amount");
      return { type, wait: { amount: amount === "" ? null : Number(amount), unit: value(base, ".trigger.wait.unit") }, from: value(base, ".trigger.from") };
    }
    if (type === "after") return { type, steps: value(base, ".trigger.steps").split(",").map((s) => s.trim()).filter(Boolean) };
    if (type === "date") return { type, at: value(base, ".trigger.at").trim() };
    return { type: "after_previous" };
  }
  function readCondition(base) {
    const c = {};
    const name = value(base, ".condition.lineItemNameContains").trim();
    const amount = value(base, ".condition.dealAmountAtLeast");
    if (name) c.lineItemNameContains = name;
    if (amount !== "") c.dealAmountAtLeast = Number(amount);
    return Object.keys(c).length ? c : undefined;
  }

  /** The template as the form now has it: the loaded one with every field's value applied. */
  function buildTemplate() {
    const t = JSON.parse(JSON.stringify(original));
    form.querySelectorAll("[data-path]").forEach((el) => {
      const path = el.dataset.path;
      const optional = el.dataset.optional === "true" || path.includes(".inputs.");
      if (el.dataset.kind === "bool") {
        if (!el.checked && path.includes(".inputs.")) deletePath(t, path);
        else setPath(t, path, el.checked);
      } else if (el.dataset.kind === "number") {
        if (el.value === "") optional ? deletePath(t, path) : setPath(t, path, null);
        else setPath(t, path, Number(el.value));
      } else if (el.dataset.kind === "text") {
        if (el.value === "" && optional) deletePath(t, path);
        else setPath(t, path, el.value);
      }
    });
    form.querySelectorAll("[data-step]").forEach((stepEl) => {
      const base = stepEl.dataset.step;
      setPath(t, base + ".trigger", readTrigger(base));
      const c = readCondition(base);
      if (c) setPath(t, base + ".condition", c);
      else deletePath(t, base + ".condition");
    });
    return t;
  }

  function clearProblems() {
    form.querySelectorAll("[aria-invalid]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      const hint = document.getElementById(el.id + "-hint");
      if (hint) el.setAttribute("aria-describedby", hint.id); else el.removeAttribute("aria-describedby");
    });
    form.querySelectorAll("p.field-error[id]").forEach((p) => { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[data-step-errors]").forEach((ul) => { ul.hidden = true; ul.textContent = ""; });
    form.querySelectorAll("[data-step-problems]").forEach((b) => { b.hidden = true; b.textContent = ""; });
    summary.hidden = true;
    summary.textContent = "";
  }

  function place(path) {
    let p = path;
    while (p) {
      const el = byPath(p) || byPath(p + ".type");
      if (el) return el;
      if (form.querySelector('[data-step="' + p + '"]')) return null;
      p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "";
    }
    return null;
  }

  /** Each problem next to its field (or its step), and all of them in the summary. */
  function showProblems(problems) {
    clearProblems();
    const list = document.createElement("ul");
    const counts = new Map();
    problems.forEach((problem, i) => {
      const el = place(problem.path || "");
      const match = STEP.exec(problem.path || "");
      const stepEl = match ? form.querySelector('[data-step="' + match[0] + '"]') : null;
      let target = null;
      let where = "Template";
      if (stepEl) {
        stepEl.open = true;
        counts.set(stepEl, (counts.get(stepEl) || 0) + 1);
        where = "Step " + stepEl.querySelector(".step-title").textContent;
      }
      if (el) {
        const error = document.getElementById(el.id + "-error");
        error.textContent = error.textContent ? error.textContent + " " + problem.message : problem.message;
        error.hidden = false;
        el.setAttribute("aria-invalid", "true");
        const hint = document.getElementById(el.id + "-hint");
        el.setAttribute("aria-describedby", (hint ? hint.id + " " : "") + error.id);
        target = el.id;
        const label = el.labels && el.labels[0] ? el.labels[0].textContent : "";
        if (label) where += " · " + label;
      } else if (stepEl) {
        const ul = stepEl.querySelector("[data-step-errors]");
        const li = document.createElement("li");
        li.id = "problem-" + i;
        li.textContent = problem.message;
        ul.appendChild(li);
        ul.hidden = false;
        target = li.id;
      }
      const item = document.createElement("li");
      const text = where + ": " + problem.message;
      if (target) {
        const a = document.createElement("a");
        a.href = "#" + target;
        a.textContent = text;
        item.appendChild(a);
      } else item.textContent = text;
      list.appendChild(item);
    });
    counts.forEach((n, stepEl) => {
      const badge = stepEl.querySelector("[data-step-problems]");
      badge.textContent = n + (n === 1 ? " problem" : " problems");
      badge.hidden = false;
    });
    const title = document.createElement("strong");
    title.textContent = "Not saved: the template has " + problems.length + (problems.length === 1 ? " problem." : " problems.");
    summary.append(title, list);
    summary.hidden = false;
    summary.focus();
  }

  function showStatus(text) {
    status.textContent = text;
    status.hidden = false;
  }

  /** The history panel and heading as the server now renders them. */
  async function refreshPage() {
    const res = await fetch(location.pathname, { headers: { accept: "text/html" } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const side = doc.querySelector(".editor-side");
    if (side) document.querySelector(".editor-side").replaceWith(side);
    const subtitle = doc.querySelector(".page-header p");
    const current = document.querySelector(".page-header p");
    if (subtitle && current) current.textContent = subtitle.textContent;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const template = buildTemplate();
    const buttons = document.querySelectorAll('button[type="submit"]');
    buttons.forEach((b) => { b.disabled = true; });
    status.hidden = true;
    try {
      const res = await fetch("/api/process/templates/" + encodeURIComponent(templateId), { method: "PUT", headers, body: JSON.stringify(template) });
      const body = await res.json().catch(() => ({}));
      if (res.status === 201) {
        clearProblems();
        original = template;
        showStatus("Saved as version " + body.version + ".");
        await refreshPage();
      } else if (Array.isArray(body.problems)) showProblems(body.problems);
      else if (Array.isArray(body.details)) showProblems(body.details.map((d) => (typeof d === "string" ? { path: "", message: d } : d)));
      else showProblems([{ path: "", message: body.message || "Saving failed (" + res.status + ")" }]);
    } catch (error) {
      showProblems([{ path: "", message: "Could not reach the server; nothing was saved." }]);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });

  form.addEventListener("change", (event) => {
    const el = event.target;
    if (!el.dataset || !/\\.trigger\\.type$/.test(el.dataset.path || "")) return;
    const fieldset = el.closest("[data-trigger]");
    fieldset.querySelectorAll("[data-trigger-group]").forEach((g) => { g.hidden = g.dataset.triggerGroup !== el.value; });
  });

  const timers = new Map();
  const latest = new Map();
  async function preview(stepEl) {
    const base = stepEl.dataset.step;
    const region = stepEl.querySelector("[data-preview-region]");
    const seq = (latest.get(stepEl) || 0) + 1;
    latest.set(stepEl, seq);
    const unknown = region.querySelector("[data-preview-unknown]");
    const empty = region.querySelector("[data-preview-empty]");
    let p;
    try {
      const res = await fetch("/api/process/preview", {
        method: "POST",
        headers,
        body: JSON.stringify({ subject: value(base, ".inputs.subject"), body: value(base, ".inputs.body"), stepId: stepEl.dataset.stepId, template: buildTemplate() }),
      });
      p = await res.json();
      if (!res.ok) throw new Error(p.message || "Preview failed");
    } catch (error) {
      if (latest.get(stepEl) !== seq) return;
      unknown.textContent = "Preview unavailable: " + error.message;
      unknown.hidden = false;
      return;
    }
    if (latest.get(stepEl) !== seq) return;
    region.querySelector("[data-preview-subject]").textContent = p.subject || "";
    region.querySelector("[data-preview-body]").textContent = p.body || "";
    unknown.textContent = p.unknownFields.length ? "Unknown merge fields: " + p.unknownFields.join(", ") : "";
    unknown.hidden = !p.unknownFields.length;
    empty.textContent = p.emptyFields.length ? "Still empty at this step: " + p.emptyFields.join(", ") : "";
    empty.hidden = !p.emptyFields.length;
  }
  form.addEventListener("input", (event) => {
    const el = event.target;
    if (!el.dataset || !el.dataset.preview) return;
    const stepEl = el.closest("[data-step]");
    clearTimeout(timers.get(stepEl));
    timers.set(stepEl, setTimeout(() => preview(stepEl), 400));
  });
})();`;
