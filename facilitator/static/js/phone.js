// The phone: follows the meeting live. When the chair lets the person in
// (or not), the changing part of the page is fetched again and swapped in,
// without reloading. Once in, it shows the current stage and takes answers
// (with a feeling at check-in, sorted into columns in information sharing, a
// private score on a scale), which wait in an outbox until the server has
// them; and it shows the plan, which the family writes and professionals
// propose actions to. The current stage and what this person can do come first;
// what a stage asks for is read from `stage.does`.
import { stageText } from "./lib/dom.js";
import { messageFor } from "./lib/live.js";
import { currentStage, element as item, followMeeting, stageNumber, text } from "./lib/meeting.js";
import { Outbox } from "./lib/outbox.js";
import { createClosing } from "./lib/closing.js";
import { createPlan, offerTools } from "./lib/plan.js";
import { renderRound } from "./lib/round.js";

const indicator = document.querySelector("[data-connection]");
const connectionText = document.querySelector("[data-connection-text]");
const holder = document.querySelector("[data-phone-state]");
const meetingId = Number(holder.dataset.meeting);
const outbox = new Outbox(`facilitator-outbox-${meetingId}`);
const $ = (selector) => holder.querySelector(selector);
const say = (key) => text("phone-text", key);
let plan = null;
let closing = null;
let offers = null;
let scoreStage = null;
let kindStage = null; // the stage whose kinds the choice shows, so its own kind is checked once
let hadTurn = false;
let shownStage = null; // the stage drawn, so a change is drawn and said once

async function refresh() {
  const response = await fetch(holder.dataset.stateUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  holder.innerHTML = await response.text();
  plan = null;
  shownStage = null;
  holder.querySelector("[data-focus]")?.focus();
  bindForms();
}

function planMode(state) {
  return state.can.edit_plan ? "edit" : "propose";
}

let refreshing = false;

/** The page shows where the person stood when it was drawn; catch up if that has changed
 * (let in, or moved to the other side, while the phone was still connecting, say). */
async function catchUp(state) {
  const drawn = holder.querySelector("[data-admission]")?.dataset;
  const waitingShown = Boolean(holder.querySelector("[data-private-wait]"));
  if (!state.you || !drawn || refreshing) return;
  const same = drawn.admission === state.you.admission && drawn.side === state.you.side;
  if (same && waitingShown === state.shutOut) return;
  refreshing = true;
  try {
    await refresh();
  } catch {
    return; // no signal just then: the next state, once the connection is back, tries again
  } finally {
    refreshing = false;
  }
  if (state.you.admission === "declined") live.socket.disconnect();
  else live.sync();
}

/** During private time: who was let in since and waits for the family to let them join. */
function renderWelcome(state) {
  const box = $("[data-welcome]");
  if (!box) return;
  const waiting = state.privateTime && state.can.welcome ? state.people.filter((p) => p.waits_for_family) : [];
  box.hidden = waiting.length === 0;
  $("[data-welcome-list]").replaceChildren(
    ...waiting.map((person) => {
      const node = document.getElementById("welcome-person").content.firstElementChild.cloneNode(true);
      node.querySelector("[data-name]").textContent = person.name;
      node.querySelector("[data-welcome-button]").addEventListener("click", () => {
        live.socket.emit("welcome", { participant_id: person.id });
      });
      return node;
    }),
  );
}

/** The welcome leads until the meeting starts; then it moves under "About this meeting". */
function renderIntro(state) {
  const started = state.meeting.status !== "scheduled";
  const intro = $("[data-intro]");
  const about = $("[data-about]");
  const greeting = $("[data-greeting]");
  intro.classList.toggle("phone-intro--running", started);
  intro.querySelector("h1").classList.toggle("visually-hidden", started);
  $("[data-welcome-part]").hidden = started;
  about.hidden = !started;
  if (started !== about.contains(greeting)) {
    (started ? about : intro).prepend(greeting);
    (started ? $("[data-about-body]") : intro).append($("[data-welcome-facts]"));
  }
}

/** The current stage, drawn again (and said politely) only when it changes. */
function renderStage(state, stage) {
  const number = stageNumber(state, "phone-text");
  const words = stage ? stageText(stage) : null;
  const title = words ? words.title : say("not-started");
  const shown = JSON.stringify([stage?.id, number, title, words?.questions]);
  if (shown === shownStage) return;
  shownStage = shown;
  $("[data-stage-number]").textContent = number;
  $("[data-stage-title]").textContent = title;
  $("[data-questions]").replaceChildren(...(words ? words.questions.map((q) => item("li", q)) : []));
  $("[data-stage-announce]").textContent = stage ? say("stage-now").replace("{number}", number).replace("{title}", title) : "";
}

// The child's houses and a party's own space are parts few meetings have: their scripts are
// fetched only on a phone whose meeting has them, so every other phone loads less.
const parts = {};

function drawParts(state) {
  if (state.meeting.stages.some((s) => s.does.houses)) {
    parts.houses ??= import("./lib/houses.js");
    parts.houses.then(({ drawPhoneHouses }) => drawPhoneHouses(holder, live.state, live));
  }
  if ($("[data-space]")) {
    parts.space ??= import("./lib/space.js");
    parts.space.then(({ drawSpace }) => drawSpace(holder, live.state, live.socket));
  }
}

function render(state) {
  catchUp(state);
  if (!$("[data-live]") || !state.meeting) return;
  const stage = currentStage(state);
  renderIntro(state);
  renderStage(state, stage);
  const banner = $("[data-private-banner]");
  banner.hidden = !state.privateTime;
  renderWelcome(state);
  renderAnswerForm(state, stage);
  renderScore(state, stage);
  drawParts(state);
  if (!plan) {
    const mode = planMode(state);
    plan = createPlan($("[data-plan]"), {
      mode,
      socket: live.socket,
      youId: state.you?.id ?? null,
      notes: Boolean(state.can.write_notes),
    });
    offers = offerTools(() => live.state, { mode, socket: live.socket, youId: state.you?.id ?? null });
    closing = createClosing($("[data-closing]"), { mode, socket: live.socket });
  }
  const round = $("[data-round]");
  renderRound(round, state, stage, offers);
  $("[data-said-section]").hidden = round.childElementCount === 0;
  $("[data-plan-section]").hidden = state.meeting.status === "scheduled" || Boolean(state.meeting.apart);
  plan.draw(state);
  closing.draw(state);
  renderPending();
  // Answers kept back for the talking piece go once, when it reaches this person.
  const hasTurn = Boolean(stage?.talking_piece && stage.turn === state.you?.id);
  if (hasTurn && !hadTurn) flush();
  hadTurn = hasTurn;
}

function renderAnswerForm(state, stage) {
  const form = $("[data-answer]");
  form.hidden = !stage?.takes_answers || !state.can.contribute;
  if (form.hidden) {
    $("[data-turn-note]").hidden = true;
    return;
  }
  $("[data-feelings]").hidden = !stage.does.feelings;
  const kinds = mayGive(state, stage);
  renderKinds(form, kinds, stage);
  const label = stage.does.offers ? "offer" : stage.does.scaling ? "reason" : kinds.length > 1 ? "share" : "answer";
  $("[data-answer-label]").textContent = say(label);
  $("[data-answer-hint]").textContent = say(stage.display === "named" ? "answer-hint" : "answer-hint-unnamed");
  const note = $("[data-turn-note]");
  note.hidden = !stage.talking_piece || stage.turn === null;
  if (!note.hidden) {
    const holderName = state.people.find((p) => p.id === stage.turn)?.name ?? "";
    note.textContent = stage.turn === state.you?.id ? say("your-turn") : say("turn-with").replace("{name}", holderName);
    note.classList.toggle("turn-note--yours", stage.turn === state.you?.id);
  }
}

/** The kinds of answer this stage collects that this person may give, its own kind first. */
function mayGive(state, stage) {
  const side = state.you?.side;
  return (stage?.collects ?? []).filter((c) => c.by.includes(side)).map((c) => c.kind);
}

/** The choice of kind, only where there is one: it starts on what the stage asks for. */
function renderKinds(form, kinds, stage) {
  const fieldset = $("[data-kinds]");
  fieldset.hidden = kinds.length < 2;
  for (const choice of fieldset.querySelectorAll("[data-kind-choice]")) {
    const offered = kinds.includes(choice.dataset.kindChoice);
    choice.hidden = !offered;
    choice.querySelector("input").disabled = !offered;
  }
  const checked = form.querySelector("[name=kind]:checked");
  if (kindStage !== stage.id || !checked || checked.disabled) {
    kindStage = stage.id;
    const first = kinds.length ? form.querySelector(`[name=kind][value="${kinds[0]}"]`) : null;
    if (first) first.checked = true;
    else if (checked) checked.checked = false;
  }
}

function renderScore(state, stage) {
  const form = $("[data-score]");
  const asking = Boolean(stage?.does.scaling) && !stage.scale?.revealed;
  form.hidden = !asking;
  if (!asking) return;
  const mine = state.you?.scores?.[String(stage.id)];
  if (scoreStage !== stage.id) {
    scoreStage = stage.id;
    form.reset();
    if (mine !== undefined) form.querySelector(`[value="${mine}"]`).checked = true;
  }
  const shown = $("[data-score-mine]");
  shown.hidden = mine === undefined;
  if (mine !== undefined) shown.textContent = say("your-score").replace("{n}", mine);
}

function renderPending() {
  const section = $("[data-mine-section]");
  if (!section) return;
  const pending = outbox.items();
  section.hidden = pending.length === 0;
  $("[data-mine]").replaceChildren(
    ...pending.map((p) => {
      const li = item("li", p.text);
      li.append(" ", item("em", `(${say("sending")})`));
      return li;
    }),
  );
}

function showAnswerError(message, returned) {
  const error = $("[data-answer-error]");
  if (!error) return;
  error.textContent = message;
  error.hidden = false;
  // Nothing typed is lost: a refused answer goes back into the box.
  const field = $("#answer-text");
  if (returned && field && !field.value.trim()) field.value = returned;
}

function flush() {
  for (const pending of outbox.items()) {
    const { client_id, text: said, stage_id, kind, feeling } = pending;
    const payload = { client_id, text: said };
    if (stage_id !== undefined) payload.stage_id = stage_id;
    if (kind) payload.kind = kind;
    if (feeling) payload.feeling = feeling;
    live.socket.emit("contribute", payload, (ack) => {
      if (ack?.ok) {
        outbox.remove(client_id);
      } else if (ack?.error?.code === "not_your_turn") {
        // Kept: sent again when the talking piece reaches this person.
      } else if (ack?.error && ack.error.code !== "internal") {
        outbox.remove(client_id);
        showAnswerError(ack.error.message, said);
      }
      renderPending();
    });
  }
}

function bindForms() {
  const form = $("[data-answer]");
  if (form && !form.dataset.bound) {
    form.dataset.bound = "true";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const stage = currentStage(live.state);
      const field = form.querySelector("textarea");
      const said = field.value.trim();
      if (!said || !stage) return;
      $("[data-answer-error]").hidden = true;
      const answer = { text: said, stage_id: stage.id };
      // Where the stage collects several kinds, the answer says which: the one chosen, else the stage's own.
      if (stage.collects.length > 1) answer.kind = form.querySelector("[name=kind]:checked:not(:disabled)")?.value ?? mayGive(live.state, stage)[0];
      if (!$("[data-feelings]").hidden) answer.feeling = form.querySelector("[name=feeling]:checked")?.value;
      outbox.add(answer);
      field.value = "";
      for (const choice of form.querySelectorAll("[name=feeling]")) choice.checked = false;
      renderPending();
      if (live.socket.connected) flush();
    });
  }
  const score = $("[data-score]");
  if (score && !score.dataset.bound) {
    score.dataset.bound = "true";
    score.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = score.querySelector("[name=value]:checked");
      const error = $("[data-score-error]");
      error.hidden = true;
      if (!chosen) return;
      const stage = currentStage(live.state);
      live.socket.emit("score", { value: Number(chosen.value), stage_id: stage?.id }, (ack) => {
        if (!ack?.ok) {
          error.textContent = ack?.error?.message ?? "";
          error.hidden = false;
          return;
        }
        live.state.you.scores = { ...live.state.you.scores, [String(stage.id)]: ack.value };
        render(live.state);
      });
    });
  }
  holder.querySelector("[data-ready]")?.addEventListener("click", (event) => {
    const button = event.currentTarget;
    if (!window.confirm(say("confirm-ready"))) return;
    button.disabled = true;
    live.socket.emit("end_private_time", {}, (ack) => {
      button.disabled = false;
      if (ack?.ok) return;
      const error = $("[data-ready-error]");
      error.textContent = ack?.error?.message ?? "";
      error.hidden = false;
    });
  });
  holder.querySelector("[data-leave]")?.addEventListener("click", () => {
    live.socket.emit("leave", {}, (ack) => {
      if (!ack?.ok) return;
      live.socket.disconnect();
      for (const part of holder.querySelectorAll("[data-leave-area], [data-answer], [data-score], [data-plan-section], [data-space]")) {
        part.hidden = true;
      }
      const left = holder.querySelector("[data-left]");
      left.hidden = false;
      left.querySelector("h2").focus();
    });
  });
}

const live = followMeeting({
  auth: { meeting: meetingId },
  onState(connection) {
    indicator.dataset.state = connection;
    connectionText.textContent = messageFor("connection-messages", connection);
    if (connection === "connected") flush();
    // Refused: turned away before this page connected (the news came to no one); the page,
    // drawn again by the server, says so.
    if (connection === "refused") refresh().catch(() => {});
  },
  render,
});

live.socket.on("admitted", () => live.sync());
// What this person may do has changed: the page is drawn again for who they are now.
live.socket.on("identity_changed", async () => {
  await refresh();
  live.sync();
});
live.socket.on("declined", async () => {
  await refresh();
  live.socket.disconnect();
});
bindForms();
// Read aloud, only on a tap: the stage and what this person can do now; the plan when asked.
// Fetched after the page, and only by a browser that can speak: it is not needed to take part.
if ("speechSynthesis" in window) import("./lib/speech.js").then(({ readAloudOnPhone }) => readAloudOnPhone(holder));
