// The room screen: draws the meeting from the server's state; needs no mouse
// or keyboard, and recovers by itself when the network comes back. It always
// fits its window (lib/fit.js): no scrolling, nothing cut off.
import { stageText } from "./lib/dom.js";
import { currentStage, element as item, followMeeting, formatSeconds, secondsLeft, stageNumber, text } from "./lib/meeting.js";
import { createClosing } from "./lib/closing.js";
import { createFit, fitsAbove, largest } from "./lib/fit.js";
import { createPlan, offerTools } from "./lib/plan.js";
import { renderRound } from "./lib/round.js";
import { drawRoomHouses } from "./lib/houses.js";
import { drawRoomMediation } from "./lib/mediation.js";
import { readAloudOnRoomScreen } from "./lib/speech.js";

const root = document.querySelector("[data-room]");
const $ = (selector) => root.querySelector(selector);
const t = (key) => text("room-text", key);
const plan = createPlan($("[data-plan]"), { mode: "read" });
const offers = offerTools(() => live.state, { mode: "read" });
const closing = createClosing($("[data-closing]"), { mode: "read", shows: (does) => does.agreement || (does.terms && !does.plan) });
const body = $("[data-room-body]");
const stageSection = $(".room__stage");
const roundPart = $("[data-fit-region=round]");
const news = $("[data-news]");

/** Where the screen ends: the bottom of the room's grid, which is exactly as tall as the window. */
const bottom = () => root.getBoundingClientRect().bottom;
const words = (node) => node?.textContent.replace(/\s+/g, " ").trim() ?? "";

function region(name, { units, groups = "", news: say, what }) {
  const node = root.querySelector(`[data-fit-region=${name}]`);
  return node && {
    name,
    node,
    pager: node.querySelector("[data-pager]"),
    units: () => [...node.querySelectorAll(units)],
    groups: () => (groups ? [...node.querySelectorAll(groups)] : []),
    news: (unit) => t(say).replace("{what}", words(unit.querySelector(what) ?? unit)),
  };
}

const REGIONS = [
  region("round", { units: ".said > li", groups: ".column, .reasons, .map__pairs", news: "new-answer", what: ".said__text" }),
  region("plan", {
    // An outcome is paged by its actions, its heading shown above them on each page they are on.
    units: "[data-plan] .action, [data-plan] .note, [data-plan] .outcome:not(:has(.action))",
    groups: "[data-plan] .outcome, [data-plan] .plan__loose, [data-plan] .plan__notes",
    news: "new-in-plan",
    what: ".action__what, .note__text, .outcome__text",
  }),
  region("terms", { units: ".term", news: "new-in-plan", what: ".term__text" }),
].filter(Boolean);

const fitter = createFit({
  regions: () => REGIONS,
  setStep: (size) => body.style.setProperty("--room-text", `calc(var(--u) * ${size})`),
  bottom,
  fitsAll: () => fitsAbove(stageSection, bottom()),
  pageOf: (n, total) => t("page-of").replace("{n}", n).replace("{total}", total),
  announce(said) {
    news.textContent = said;
  },
});

let scope = "";

function render(state) {
  const meeting = state.meeting;
  if (!meeting) return;
  // The chair changed the meeting's languages: the server draws the screen again in them.
  const [first, second] = meeting.languages ?? [];
  if (`${first} ${second ?? ""}` !== root.dataset.languages) {
    window.location.reload();
    return;
  }
  const stage = currentStage(state);
  // Before the meeting starts, while people are arriving, the QR code is the main thing.
  root.dataset.mode = meeting.status === "scheduled" && meeting.lobby_open ? "welcome" : "meeting";
  $("[data-stage-number]").textContent = stageNumber(state, "room-text");
  const words = stage ? stageText(stage) : null;
  $("[data-stage-title]").textContent = words ? words.title : t("not-started");
  $("[data-questions]").replaceChildren(...(words ? words.questions.map((q) => item("li", q)) : []));
  drawSecondLanguage(stage);
  // Each offer is an action in the plan the moment it is made: at the offers stage the room
  // watches the plan grow, and the round would only say everything twice.
  renderRound($("[data-round]"), state, stage?.does.offers ? null : stage, offers);
  roundPart.hidden = $("[data-round]").childElementCount === 0;
  const planStage = Boolean(state.privateTime) || Boolean(stage?.does.plan);
  $("[data-private]").hidden = !state.privateTime;
  $("[data-plan-section]").hidden = !planStage;
  body.dataset.layout = !roundPart.hidden && planStage ? "two" : "one";
  // Once there is something to read, the title and questions step back to make room for it.
  // The Signs of Safety map takes the width of the screen, as the houses do.
  const onMap = $("[data-round]").dataset.shape === "map";
  root.classList.toggle("room--map", onMap);
  const busy =
    planStage ||
    state.contributions.some((c) => c.stage_id === stage?.id) ||
    Boolean(stage?.scale?.revealed) ||
    (onMap && Boolean($("[data-round] .said > li")));
  root.classList.toggle("room--busy", busy);
  plan.draw(state);
  closing.draw(state);
  drawRoomHouses(root, state, stage);
  drawRoomMediation($("[data-room-mediation]"), state);
  $("[data-join]").hidden = !meeting.lobby_open;
  tick(state);
  scope = `${stage?.id ?? "-"}:${state.privateTime ? "private" : ""}`;
  fitter.fit(scope);
  fitSide(state);
}

/** The agenda, all of it or the stages around the current one; who is here, all or the first
 * few and how many more: the most that fits beside (or, before the start, below) the rest. */
function fitSide(state) {
  const meeting = state.meeting;
  const stage = currentStage(state);
  const here = state.people.filter((p) => p.presence === "online");
  $("[data-here-count]").textContent = `(${here.length})`;
  const side = [$(".room__join"), $(".room__people"), $(".room__stages")];
  const fits = () => side.every((node) => !node.checkVisibility() || fitsAbove(node, bottom()));
  const now = stage ? stage.position : -1;
  // Before the start, the QR code is as large as fits, never below about 10 px a module at 1080p.
  root.style.removeProperty("--qr");
  if (root.dataset.mode === "welcome") {
    for (const size of [62, 56, 50, 44]) {
      root.style.setProperty("--qr", `min(calc(var(--u) * ${size}), 44vw)`);
      if (fitsAbove($(".room__join"), bottom())) break;
    }
  }
  for (const around of [Infinity, 2, 1, 0]) {
    drawAgenda(meeting.stages, now, around);
    drawHere(here, here.length);
    if (fits()) return;
  }
  drawHere(here, largest(here.length, (count) => {
    drawHere(here, count);
    return fits();
  }));
}

/** The bilingual screen: the stage's words again in the meeting's second language, beside the first. */
function drawSecondLanguage(stage) {
  const title = document.querySelector("[data-stage-title-2]");
  if (!title) return;
  const words = stage ? stageText(stage, "stage-words-2") : null;
  title.textContent = words ? words.title : text("room-text-2", "not-started");
  $("[data-questions-2]").replaceChildren(...(words ? words.questions.map((q) => item("li", q)) : []));
}

function drawAgenda(stages, now, around) {
  const from = Math.max(0, now - Math.min(around, 1));
  const to = Math.min(stages.length, Math.max(now, 0) + around + 1);
  const shown = around === Infinity ? stages : stages.slice(from, to);
  const list = shown.map((s) => {
    const li = item("li", stageText(s).title);
    li.value = s.position + 1;
    if (s.position === now) {
      li.className = "room__agenda-now";
      li.setAttribute("aria-current", "step");
    } else if (s.position < now) {
      li.className = "room__agenda-done";
    }
    return li;
  });
  const before = shown.length ? shown[0].position : 0;
  const after = stages.length - (shown.length ? shown.at(-1).position + 1 : 0);
  if (before) list.unshift(item("li", t("stages-before").replace("{n}", before), "room__agenda-more"));
  if (after) list.push(item("li", t("stages-after").replace("{n}", after), "room__agenda-more"));
  $("[data-agenda]").replaceChildren(...list);
}

function drawHere(here, count) {
  const list = here.slice(0, count).map((p) => item("li", p.name));
  if (count < here.length) list.push(item("li", t("more-people").replace("{n}", here.length - count), "room__here-more"));
  $("[data-here]").replaceChildren(...list);
}

function tick(state) {
  $("[data-timer]").textContent = formatSeconds(secondsLeft(state));
}

const live = followMeeting({
  auth: { meeting: Number(root.dataset.meeting), screen: root.dataset.token },
  onState(connection) {
    const mark = $("[data-connection]");
    mark.dataset.state = connection;
    mark.querySelector("[data-connection-text]").textContent = t(connection);
  },
  render,
});

setInterval(() => tick(live.state), 1000);
window.addEventListener("resize", () => {
  if (!live.state.meeting) return;
  fitter.fit(scope);
  fitSide(live.state);
});
// The chair can read the stage's question aloud to the room, on a click; never by itself.
readAloudOnRoomScreen(root);
