// What is said in a stage, drawn the same way on the console, the room screen
// and the phone: answers with feelings, the talking piece going round the
// circle, the information-sharing columns, a scale's spread once revealed, and the Signs of
// Safety map: every part of it at once, the current stage's part marked.
// Every text comes from the page's <template id="round-text">; what people
// typed is only ever set as text.
import { stageText, syncList } from "./dom.js";
import { element, nameOf, text } from "./meeting.js";

const COLUMNS = ["worry", "working_well", "bottom_line"];
const MAP_COLUMNS = ["worry", "working_well", "needs_to_happen"];
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

/** The map is drawn at each of its stages, and at a scale on an agenda that has one. */
export function onMap(state, stage) {
  return Boolean(stage && (stage.does.map || (stage.does.scaling && state.meeting.stages.some((s) => s.does.map))));
}

function skeleton(root, state, stage) {
  const shape = onMap(state, stage) ? "map" : stage.does.sorted ? "columns" : stage.does.scaling ? "scale" : "list";
  if (root.dataset.shape === shape && root.dataset.stage === String(stage.id)) return;
  root.dataset.shape = shape;
  root.dataset.stage = stage.id;
  const turn = element("div", "", "turn");
  turn.dataset.turn = "";
  turn.hidden = true;
  const parts = [turn];
  if (shape === "map") {
    parts.push(mapSkeleton(state, stage));
  } else if (shape === "columns") {
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
  skeleton(root, state, stage);
  const items = saidIn(state, stage);
  renderTurn(root.querySelector("[data-turn]"), state, stage, items);
  if (root.dataset.shape === "map") {
    renderMap(root, state, stage, { decorate, signOf });
    root.querySelector("[data-empty]").hidden = true;
    return;
  }
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

/** The scale shown on the map: the current stage if it is one, else the last one reached. */
function mapScale(state, stage) {
  if (stage.does.scaling) return stage;
  const now = state.meeting.current_position ?? -1;
  return state.meeting.stages.filter((s) => s.does.scaling && s.position <= now).at(-1) ?? null;
}

function mapPart(classes, title, kinds, stage) {
  const part = element("section", "", `map__part ${classes}`);
  const now = kinds.some((kind) => stage.collects.some((c) => c.kind === kind)) || (kinds.includes("reason") && stage.does.scaling);
  const heading = element("h3", title, classes.includes("column") ? "map__title column__title" : "map__title");
  if (now) {
    part.classList.add("map__part--now");
    part.setAttribute("aria-current", "true");
    heading.append(element("span", t("map-now"), "map__now"));
  }
  part.append(heading);
  return part;
}

/** Danger statements beside their safety goals; worries, what is working well, what needs to
 * happen; the scale with its spread and why people chose their numbers. */
function mapSkeleton(state, stage) {
  const map = element("div", "", "map");
  const pairs = mapPart("map__pairs", t("map-pairs"), ["danger_statement", "safety_goal"], stage);
  pairs.dataset.mapPairs = "";
  const head = element("p", "", "map__pair map__pair--head");
  head.setAttribute("aria-hidden", "true");
  head.append(element("span", t("kind-danger_statement")), element("span", t("kind-safety_goal")));
  const none = element("p", t("map-empty"), "map__empty");
  none.dataset.mapEmpty = "pairs";
  pairs.append(head, element("ul", "", "said map__pair-list"), none);
  const columns = element("div", "", "columns map__columns");
  for (const kind of MAP_COLUMNS) {
    const column = mapPart(`column column--${kind}`, t(`kind-${kind}`), [kind], stage);
    const list = element("ul", "", "said");
    list.dataset.kind = kind;
    const empty = element("p", t("map-empty"), "map__empty");
    empty.dataset.mapEmpty = kind;
    column.append(list, empty);
    columns.append(column);
  }
  map.append(pairs, columns);
  const scaleStage = mapScale(state, stage);
  if (scaleStage) {
    const scalePart = mapPart("map__scale", stageText(scaleStage).title, ["reason"], stage);
    scalePart.dataset.mapScale = scaleStage.id;
    const scale = element("div", "", "scale");
    scale.dataset.scale = "";
    const reasons = element("section", "", "reasons");
    reasons.dataset.reasons = "";
    reasons.append(element("h4", t("reasons")), element("ul", "", "said"));
    scalePart.append(scale, reasons);
    map.append(scalePart);
  }
  return map;
}

function pairItem(pair) {
  const li = element("li", "", "said__item map__pair");
  for (const [kind, said] of [["danger_statement", pair.danger], ["safety_goal", pair.goal]]) {
    const side = element("div", "", `map__pair-part map__pair-part--${kind}`);
    side.append(element("span", `${t(`kind-${kind}`)}: `, "visually-hidden"));
    if (!said) {
      side.append(element("span", t("map-empty"), "said__text said__text--quiet"));
    } else {
      side.append(element("span", said.text ?? t("answered"), said.text === null ? "said__text said__text--quiet" : "said__text"));
      if (said.name) side.append(element("span", ` (${said.name})`, "said__name map__by"));
    }
    li.append(side);
  }
  return li;
}

function renderMap(root, state, stage, { decorate, signOf }) {
  const mapped = new Set(state.meeting.stages.filter((s) => s.does.map).map((s) => s.id));
  const onIt = state.contributions.filter((c) => mapped.has(c.stage_id));
  const of = (kind) => onIt.filter((c) => c.kind === kind);
  const dangers = of("danger_statement");
  const goals = of("safety_goal");
  // The first safety goal beside the first danger statement, and so on.
  const pairs = Array.from({ length: Math.max(dangers.length, goals.length) }, (_, n) => ({
    n,
    danger: dangers[n] ?? null,
    goal: goals[n] ?? null,
  }));
  const pairsPart = root.querySelector("[data-map-pairs]");
  pairsPart.hidden = pairs.length === 0 && !pairsPart.classList.contains("map__part--now");
  pairsPart.querySelector(".map__pair--head").hidden = pairs.length === 0;
  root.querySelector('[data-map-empty="pairs"]').hidden = pairs.length > 0;
  syncList(pairsPart.querySelector("ul"), pairs, { key: (pair) => `pair-${pair.n}`, render: pairItem });
  for (const list of root.querySelectorAll(".map__columns [data-kind]")) {
    const items = of(list.dataset.kind);
    listOf(list, items, decorate, signOf);
    root.querySelector(`[data-map-empty="${list.dataset.kind}"]`).hidden = items.length > 0;
  }
  const scalePart = root.querySelector("[data-map-scale]");
  if (!scalePart) return;
  const scaleStage = state.meeting.stages.find((s) => String(s.id) === scalePart.dataset.mapScale);
  renderScale(scalePart.querySelector("[data-scale]"), state, scaleStage);
  const reasons = scalePart.querySelector("[data-reasons]");
  const why = saidIn(state, scaleStage);
  reasons.hidden = why.length === 0;
  listOf(reasons.querySelector("ul"), why, decorate, signOf);
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
        .replace("{middle}", median(values).toLocaleString(document.documentElement.dataset.locale || undefined))
        .replace("{high}", values[values.length - 1])
    : "";
  node.replaceChildren(count, chart, element("p", summary, "scale__summary"));
}
