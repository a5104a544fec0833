// Keyed list updates: a live page redraws often, and redrawing a list from
// scratch would take the focus (or a half-typed edit) away from the person.
// Items whose content has not changed keep their element.

const signatures = new WeakMap();

/**
 * Make `parent`'s children show `items`, in order. `key(item)` names an item,
 * `sign(item)` says when it must be drawn again, `render(item)` draws it.
 */
export function syncList(parent, items, { key, render, sign = JSON.stringify }) {
  const old = new Map([...parent.children].map((node) => [node.dataset.key, node]));
  const kept = new Set();
  let cursor = parent.firstElementChild;
  for (const item of items) {
    const name = String(key(item));
    const signature = sign(item);
    let node = old.get(name);
    if (!node || signatures.get(node) !== signature) {
      const fresh = render(item);
      fresh.dataset.key = name;
      signatures.set(fresh, signature);
      if (node) {
        if (node === cursor) cursor = fresh;
        node.replaceWith(fresh);
      }
      node = fresh;
    }
    kept.add(node);
    if (node === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      parent.insertBefore(node, cursor);
    }
  }
  for (const node of [...parent.children]) {
    if (!kept.has(node)) node.remove();
  }
}

/** A copy of the first element of a page's `<template id="...">`. */
export function fromTemplate(id) {
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

let formCount = 0;

/** Give a form's fields ids of their own, so that each label names its field. */
export function uniqueIds(form) {
  formCount += 1;
  for (const field of form.querySelectorAll("[id]")) {
    const old = field.id;
    field.id = `${old}-${formCount}`;
    for (const label of form.querySelectorAll(`[for="${old}"]`)) label.htmlFor = field.id;
    for (const described of form.querySelectorAll(`[aria-describedby~="${old}"]`)) {
      described.setAttribute("aria-describedby", described.getAttribute("aria-describedby").replace(old, field.id));
    }
  }
}

/** A plain button (never a form's submit) that calls `onClick`. */
export function button(label, className, onClick) {
  const node = document.createElement("button");
  node.textContent = label;
  if (className) node.className = className;
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

/** "Mum and Dad", in the page's language. */
export function names(list) {
  try {
    return new Intl.ListFormat(document.documentElement.lang || undefined, { type: "conjunction" }).format(list);
  } catch {
    return list.join(", ");
  }
}

// Times and dates as the server's pages write them: the page's locale with its region ("en-GB",
// never the browser's), a 24-hour clock, in the council's time zone.
const { locale = "en-GB", zone } = document.documentElement.dataset;

/** A day ("2026-12-08") written in full: "Tuesday 8 December 2026". */
export function day(iso) {
  const [year, month, date] = iso.split("-").map(Number);
  const noon = new Date(Date.UTC(year, month - 1, date, 12));
  // The weekday apart, as the server writes it ("EEEE d MMMM yyyy"), with no comma after it.
  const weekday = noon.toLocaleDateString(locale, { weekday: "long", timeZone: "UTC" });
  return `${weekday} ${noon.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}`;
}

/** A moment (ms since 1970) as a time of day: "14:05". */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone || undefined });
}

const wordBooks = new Map();

function wordBook(id) {
  if (!wordBooks.has(id)) {
    const spans = document.getElementById(id)?.content.querySelectorAll("[data-source]") ?? [];
    wordBooks.set(id, new Map([...spans].map((span) => [span.dataset.source, span.textContent])));
  }
  return wordBooks.get(id);
}

/**
 * A stage's title and questions as this page shows them: where a stage comes from a format,
 * its words that are still the format's are in the page's language (the server's
 * formats/words.py gives the page its `<template id="stage-words">`); a chair's own words
 * stay as written.
 */
export function stageText(stage, book = "stage-words") {
  if (!stage.template) return { title: stage.title, questions: stage.questions };
  const words = wordBook(book);
  const shown = (text) => words.get(text) ?? text;
  return { title: shown(stage.title), questions: stage.questions.map(shown) };
}
