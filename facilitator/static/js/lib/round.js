// What is said in a stage, drawn the same way on the console, the room screen
// and the phone: answers with feelings, the talking piece going round the
// circle, the information-sharing columns, and a scale's spread once revealed.
// Every text comes from the page's <template id="round-text">; what people
// typed is only ever set as text.
import { syncList } from "./dom.js";
import { element, nameOf, text } from "./meeting.js";

const COLUMNS = ["worry", "working_well", "bottom_line"];
let spriteUrl = "";

export function t(key) {
  return text("round-text", key);
}

/** A feeling: its picture and its word (the word is what a screen reader reads). */
export function feeling(name) {
  spriteUrl ||= document.getElementById("round-text")?.dataset.sprite ?? "";
  const node = element("span", "", "feeling");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "feeling__face");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", `${spriteUrl}#${name}`);
  svg.append(use);
  node.append(svg, element("span", t(`feeling-${name}`), "feeling__word"));
  return node;
}

export function saidIn(state, stage) {
  return stage ? state.contributions.filter((c) => c.stage_id === stage.id) : [];
}

/** The people round the circle, in order: let in, not left. */
export function circle(state) {
  return state.people.filter((p) => p.admission === "admitted" && p.presence !== "left");
}

function said(contribution, decorate) {
  const li = element("li", "", "said__item");
  const head = element("p", "", "said__head");
  if (contribution.feeling) head.append(feeling(contribution.feeling));
  if (contribution.name) head.prepend(element("strong", contribution.name, "said__name"));
  if (head.childElementCount) li.append(head);
  if (contribution.text !== null) {
    li.append(element("p", contribution.text, "said__text"));
  } else {
    li.append(element("p", t("answered"), "said__text said__text--quiet"));
  }
  decorate?.(li, contribution);
  return li;
}

function listOf(container, items, decorate, signOf) {
  syncList(container, items, {
    key: (c) => c.id,
    sign: (c) => JSON.stringify(c) + (signOf?.(c) ?? ""),
    render: (c) => said(c, decorate),
  });
}

function skeleton(root, stage) {
  const shape = stage.does.sorted ? "columns" : stage.does.scaling ? "scale" : "list";
  if (root.dataset.shape === shape && root.dataset.stage === String(stage.id)) return;
  root.dataset.shape = shape;
  root.dataset.stage = stage.id;
  const turn = element("div", "", "turn");
  turn.dataset.turn = "";
  turn.hidden = true;
  const parts = [turn];
  if (shape === "columns") {
    const columns = element("div", "", "columns");
    for (const kind of COLUMNS) {
      const column = element("section", "", `column column--${kind}`);
      column.append(element("h3", t(`kind-${kind}`), "column__title"), element("ul", "", "said"));
      column.lastChild.dataset.kind = kind;
      columns.append(column);
    }
    parts.push(columns);
  } else if (shape === "scale") {
    const scale = element("div", "", "scale");
    scale.dataset.scale = "";
    const reasons = element("section", "", "reasons");
    reasons.dataset.reasons = "";
    reasons.append(element("h3", t("reasons")), element("ul", "", "said"));
    parts.push(scale, reasons);
  } else {
    parts.push(element("ul", "", "said"));
  }
  const empty = element("p", t("nobody-yet"), "empty");
  empty.dataset.empty = "";
  root.replaceChildren(...parts, empty);
}

/**
 * Draw the round of `stage` into `root`. `decorate(li, contribution)` adds a view's own
 * controls; `signOf(contribution)` says when those must be drawn again.
 */
export function renderRound(root, state, stage, { decorate, signOf } = {}) {
  if (!stage || !stage.takes_answers && !stage.does.scaling) {
    root.replaceChildren();
    delete root.dataset.shape;
    return;
  }
  skeleton(root, stage);
  const items = saidIn(state, stage);
  renderTurn(root.querySelector("[data-turn]"), state, stage, items);
  if (root.dataset.shape === "columns") {
    for (const list of root.querySelectorAll("[data-kind]")) {
      listOf(list, items.filter((c) => c.kind === list.dataset.kind), decorate, signOf);
    }
  } else if (root.dataset.shape === "scale") {
    renderScale(root.querySelector("[data-scale]"), state, stage);
    const reasons = root.querySelector("[data-reasons]");
    reasons.hidden = items.length === 0;
    listOf(reasons.querySelector("ul"), items, decorate, signOf);
  } else {
    listOf(root.querySelector("ul"), items, decorate, signOf);
  }
  root.querySelector("[data-empty]").hidden = items.length > 0 || stage.does.scaling;
}

function renderTurn(node, state, stage, items) {
  node.hidden = !stage.talking_piece;
  if (!stage.talking_piece) return;
  const done = new Set(items.map((c) => c.participant_id));
  const holder = stage.turn === null ? t("turn-done") : t("turn-with").replace("{name}", nameOf(state, stage.turn));
  const order = element("ol", "", "turn__circle");
  for (const person of circle(state)) {
    const li = element("li", person.name, "turn__person");
    if (person.id === stage.turn) {
      li.classList.add("turn__person--now");
      li.setAttribute("aria-current", "true");
    } else if (done.has(person.id)) {
      li.classList.add("turn__person--done");
      li.append(element("span", ` ${t("answered")}`, "visually-hidden"));
    }
    order.append(li);
  }
  const heading = element("p", holder, "turn__holder");
  node.replaceChildren(heading, order);
}

function median(values) {
  const middle = Math.floor(values.length / 2);
  return values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

/** Before the reveal: how many have scored. After: the spread, 0 to 10, without names. */
function renderScale(node, state, stage) {
  const scale = stage.scale ?? { scored: [], revealed: false, values: null };
  const total = circle(state).length;
  const count = element(
    "p",
    t("scored").replace("{n}", scale.scored.length).replace("{total}", Math.max(total, scale.scored.length)),
    "scale__count",
  );
  if (!scale.revealed) {
    node.replaceChildren(count, element("p", t("scores-hidden"), "scale__hidden"));
    return;
  }
  const values = scale.values;
  const chart = element("ol", "", "scale__chart");
  for (let value = 0; value <= 10; value += 1) {
    const many = values.filter((v) => v === value).length;
    const li = element("li", "", "scale__point");
    const dots = element("span", "", "scale__dots");
    dots.setAttribute("aria-hidden", "true");
    for (let i = 0; i < many; i += 1) dots.append(element("span", "", "scale__dot"));
    li.append(
      dots,
      element("span", String(value), "scale__value"),
      element("span", t("at-value").replace("{n}", many), "visually-hidden"),
    );
    if (many) li.classList.add("scale__point--chosen");
    chart.append(li);
  }
  const summary = values.length
    ? t("spread")
        .replace("{low}", values[0])
        .replace("{middle}", median(values))
        .replace("{high}", values[values.length - 1])
    : "";
  node.replaceChildren(count, chart, element("p", summary, "scale__summary"));
}
