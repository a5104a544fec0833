// The chair's console: the live connection, the stage and its timer, the
// lobby and who is in, the round (how the room sees it, the talking piece,
// answers recorded for people without a phone, scores) and the plan. Everything shown comes from the server (`sync`, then
// events); a chair's decision is a command, and the page changes when the
// server says so.
import { stageText } from "./lib/dom.js";
import { messageFor } from "./lib/live.js";
import { currentStage, element as item, followMeeting, formatSeconds, secondsLeft, stageNumber, text } from "./lib/meeting.js";
import { newId } from "./lib/outbox.js";
import { createClosing } from "./lib/closing.js";
import { createPlan, offerTools } from "./lib/plan.js";
import { renderRound } from "./lib/round.js";
import { drawConsoleHouses } from "./lib/houses.js";
import { createMediation } from "./lib/mediation.js";

const indicator = document.querySelector("[data-connection]");
const connectionText = document.querySelector("[data-connection-text]");
const consoleRoot = document.querySelector("[data-console]");
const lobby = document.querySelector("[data-lobby]");
const inMeeting = document.querySelector("[data-in]");
const admitAll = document.querySelector("[data-admit-all]");
const errorBox = document.querySelector("[data-console-error]");
const mayRun = consoleRoot?.dataset.mayRun === "true";

function sideLabel(side) {
  const labels = document.getElementById("side-labels").content;
  return labels.querySelector(`[data-value="${side}"]`)?.textContent ?? side;
}

function label(state, name) {
  return messageFor("console-messages", state).replace("{name}", name);
}

function uniqueIds(node, personId) {
  // Tie each label to its own input: ids are per person.
  node.querySelectorAll(".choice").forEach((choice, index) => {
    const input = choice.querySelector("input");
    input.id = `p${personId}-${index}`;
    input.name = input.type === "radio" ? `p${personId}-side` : `p${personId}-flags`;
    choice.querySelector("label").htmlFor = input.id;
  });
}

function lobbyItem(person) {
  const node = document.getElementById("lobby-person").content.firstElementChild.cloneNode(true);
  node.dataset.person = person.id;
  node.querySelector("[data-name]").textContent = person.name;
  node.querySelector("[data-relation]").textContent = person.relation ? `(${person.relation})` : "";
  node.querySelector("[data-side-label]").textContent = sideLabel(person.side);
  node.querySelector("[data-invited]").hidden = person.admission !== "declined";
  uniqueIds(node, person.id);
  node.querySelectorAll("[data-side]").forEach((input) => { input.checked = input.value === person.side; });
  node.querySelectorAll("[data-flag]").forEach((input) => { input.checked = person.flags.includes(input.value); });
  const admit = node.querySelector("[data-admit]");
  const decline = node.querySelector("[data-decline]");
  admit.setAttribute("aria-label", label("admit-label", person.name));
  decline.setAttribute("aria-label", label("decline-label", person.name));
  if (!mayRun) {
    admit.remove();
    decline.remove();
    node.querySelector("details").remove();
  }
  // A correction is stored when made, so every chair's console shows it and a redraw keeps it;
  // admitting lets the person in as the server holds them.
  node.querySelectorAll("[data-side], [data-flag]").forEach((input) => {
    input.addEventListener("change", () => {
      const side = node.querySelector("[data-side]:checked")?.value;
      const flags = [...node.querySelectorAll("[data-flag]:checked")].map((box) => box.value);
      send("correct", { participant_id: person.id, side, flags });
    });
  });
  admit?.addEventListener("click", () => send("admit", { participant_id: person.id }));
  decline?.addEventListener("click", () => send("decline", { participant_id: person.id }));
  return node;
}

function inItem(person) {
  const node = document.getElementById("in-person").content.firstElementChild.cloneNode(true);
  node.querySelector("[data-name]").textContent = person.name;
  node.querySelector("[data-relation]").textContent = person.relation ? `(${person.relation})` : "";
  node.querySelector("[data-side-label]").textContent = sideLabel(person.side);
  const presence = node.querySelector("[data-presence]");
  presence.textContent = text("console-text", person.presence);
  presence.dataset.presence = person.presence;
  return node;
}

/** Where the focus is in the lobby, so that a redraw can put it back on the same control. */
function focusKey(element) {
  const person = element.closest("[data-person]")?.dataset.person;
  if (!person) return null;
  if (element.id) return { person, selector: `#${element.id}` };
  const kind = ["data-admit", "data-decline"].find((name) => element.hasAttribute(name));
  return { person, selector: kind ? `[${kind}]` : element.tagName.toLowerCase() };
}

// The lobby's count is in the page's title too, so a chair on another tab sees someone waiting;
// a soft sound, if the chair has asked for one on this device, when someone new arrives.
const chime = document.querySelector("[data-chime]");
const CHIME_KEY = "facilitator.chime";
let waitingBefore = null;

function announceWaiting(count) {
  const title = `${consoleRoot.dataset.title} · ${document.title.split(" · ").pop()}`;
  document.title = count > 0 ? `(${count}) ${title}` : title;
  if (waitingBefore !== null && count > waitingBefore && chime?.checked) softSound();
  waitingBefore = count;
}

function softSound() {
  try {
    const context = new AudioContext();
    const tone = context.createOscillator();
    const volume = context.createGain();
    tone.frequency.value = 660;
    volume.gain.setValueAtTime(0.0001, context.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.08, context.currentTime + 0.05);
    volume.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + 0.6);
    tone.connect(volume).connect(context.destination);
    tone.start();
    tone.stop(context.currentTime + 0.65);
    tone.onended = () => context.close();
  } catch {
    // No sound where the browser has none to give: the count is still in the title.
  }
}

if (chime) {
  chime.checked = localStorage.getItem(CHIME_KEY) === "on";
  chime.addEventListener("change", () => localStorage.setItem(CHIME_KEY, chime.checked ? "on" : "off"));
}

// Each waiting person's entry, kept while what it shows of them is unchanged: every event redraws
// the console, and an entry replaced between the press and the release of "Let … in" would lose
// the chair's click.
let lobbyEntries = new Map();

function showLobby(waiting) {
  const entries = new Map(
    waiting.map((person) => {
      const shown = JSON.stringify([person.name, person.relation, person.side, person.admission, person.flags]);
      const held = lobbyEntries.get(person.id);
      return [person.id, held?.shown === shown ? held : { shown, node: lobbyItem(person) }];
    }),
  );
  const nodes = [...entries.values()].map((entry) => entry.node);
  for (const child of [...lobby.children]) if (!nodes.includes(child)) child.remove();
  nodes.forEach((node, n) => {
    if (lobby.children[n] !== node) lobby.insertBefore(node, lobby.children[n] ?? null);
  });
  lobbyEntries = entries;
}

function showPeople(people) {
  const waiting = people.filter((p) => p.admission === "lobby");
  const admitted = people.filter((p) => p.admission === "admitted");
  // A redraw keeps what the chair has open and where the focus is.
  const open = new Set([...lobby.querySelectorAll("details[open]")].map((d) => d.closest("[data-person]")?.dataset.person));
  const focused = lobby.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  showLobby(waiting);
  lobby.querySelectorAll("[data-person]").forEach((node) => {
    const details = node.querySelector("details");
    if (details && open.has(node.dataset.person)) details.open = true;
  });
  if (focused) lobby.querySelector(`[data-person="${focused.person}"] ${focused.selector}`)?.focus();
  inMeeting.replaceChildren(...admitted.map(inItem));
  document.querySelector("[data-lobby-count]").textContent = `(${waiting.length})`;
  document.querySelector("[data-in-count]").textContent = `(${admitted.length})`;
  document.querySelector("[data-lobby-empty]").hidden = waiting.length > 0;
  document.querySelector("[data-in-empty]").hidden = admitted.length > 0;
  if (admitAll) admitAll.hidden = waiting.length < 2;
  const listed = document.querySelector("[data-listed]");
  if (listed) listed.textContent = String(people.length);
  announceWaiting(waiting.length);
}

function send(command, payload) {
  errorBox.hidden = true;
  socket.emit(command, payload, (ack) => {
    if (!ack?.ok) {
      errorBox.textContent = ack?.error?.message ?? "";
      errorBox.hidden = false;
    }
  });
}

const run = document.querySelector("[data-run]");
const $ = (selector) => consoleRoot.querySelector(selector);
// During private family time the page is the waiting page (drawn by the server) and the lobby.
const waiting = document.querySelector("[data-private-wait]");

function render(state) {
  // Private family time began or ended between the server drawing this page and its connection
  // (the news of it came to no one): the page is for the other side of it, so it is drawn again.
  if (waiting ? state.meeting !== null : state.shutOut) {
    window.location.reload();
    return;
  }
  showPeople(state.people);
  const meeting = state.meeting;
  if (waiting || !meeting) return;
  run.hidden = false;
  const status = document.querySelector("[data-status]");
  status.textContent = text("console-text", `status-${meeting.status}`);
  status.className = `status status--${meeting.status}`;
  const stage = currentStage(state);
  const started = meeting.status === "live";
  $("[data-stage-number]").textContent = stageNumber(state, "console-text");
  const words = stage ? stageText(stage) : null;
  $("[data-stage-title]").textContent = words ? words.title : text("console-text", "not-started");
  $("[data-getting-ready]").hidden = meeting.status !== "scheduled";
  $("[data-timer-row]").hidden = !started;
  $("[data-questions]").replaceChildren(...(words ? words.questions.map((q) => item("li", q)) : []));
  renderRound($("[data-round]"), state, stage, offers);
  $("[data-said-section]").hidden = !stage || (!stage.takes_answers && !stage.does.scaling);
  drawConsoleHouses(consoleRoot, state, stage);
  document.querySelector("[data-plan-panel]").hidden = meeting.status === "scheduled" || Boolean(meeting.apart);
  plan.draw(state);
  mediation.draw(state);
  closing.draw(state);
  if (mayRun) {
    $("[data-close-meeting]").hidden = !started;
    renderRoundControls(state, stage);
    $("[data-start]").hidden = meeting.status !== "scheduled";
    // Before the start there is one thing to do: start. Moving, timing and private time come after.
    for (const part of consoleRoot.querySelectorAll("[data-previous], [data-next], [data-private-start]")) part.hidden = !started;
    $("[data-previous]").disabled = !started || !stage || stage.position === 0;
    $("[data-next]").disabled = !started || !stage || stage.position === meeting.stages.length - 1;
    for (const button of run.querySelectorAll("[data-timer-start], [data-timer-pause], [data-timer-add]")) {
      button.disabled = !started;
    }
    $("[data-timer-start]").hidden = meeting.timer.ends_at !== null;
    $("[data-timer-pause]").hidden = meeting.timer.ends_at === null;
    $("[data-lobby-toggle]").textContent = text("console-text", meeting.lobby_open ? "close-lobby" : "open-lobby");
  }
  tick(state);
}

function renderRoundControls(state, stage) {
  const round = stage && (stage.takes_answers || stage.does.scaling);
  $("[data-round-controls]").hidden = !round;
  $("[data-record]").hidden = !stage?.takes_answers;
  if (!round) return;
  for (const input of run.querySelectorAll("[data-display]")) input.checked = input.value === stage.display;
  $("[data-piece-controls]").hidden = !stage.does.rounds;
  $("[data-talking-piece]").setAttribute("aria-pressed", String(stage.talking_piece));
  $("[data-pass-turn]").hidden = !stage.talking_piece || stage.turn === null;
  $("[data-reveal-controls]").hidden = !stage.does.scaling || stage.scale?.revealed;
  $("[data-record-feeling]").hidden = !stage.does.feelings;
  const who = $("#record-person");
  const chosen = who.value;
  const people = state.people.filter((p) => ["admitted", "expected"].includes(p.admission));
  who.replaceChildren(...people.map((p) => new Option(p.name, String(p.id))));
  if (stage.talking_piece && stage.turn !== null) who.value = String(stage.turn);
  else if (people.some((p) => String(p.id) === chosen)) who.value = chosen;
  renderRecordKinds(state, stage);
}

let recordKindStage = null;

/** What the answer is follows the stage: its own kind first; a choice only where the stage
 * collects several, of those the person it is from may give (`stage.collects`). */
function renderRecordKinds(state, stage) {
  const person = state.people.find((p) => String(p.id) === $("#record-person").value);
  const kinds = (stage?.collects ?? []).filter((c) => !person || c.by.includes(person.side)).map((c) => c.kind);
  $("[data-record-kind]").hidden = (stage?.collects.length ?? 0) < 2;
  const select = $("#record-kind");
  for (const option of select.options) {
    option.hidden = !kinds.includes(option.value);
    option.disabled = option.hidden;
  }
  if (recordKindStage !== stage?.id || !kinds.includes(select.value)) {
    recordKindStage = stage?.id ?? null;
    select.value = kinds[0] ?? "";
  }
}

function bindPrivateStart() {
  const open = $("[data-private-open]");
  const confirm = $("[data-private-confirm]");
  const show = (visible) => {
    confirm.hidden = !visible;
    open.setAttribute("aria-expanded", String(visible));
  };
  open.addEventListener("click", () => {
    // Who may stay: the professionals let in, ticked if they are flagged to stay or are
    // there for the family (advocate, interpreter). The chair confirms.
    const professionals = live.state.people.filter((p) => p.admission === "admitted" && p.side === "professional");
    $("[data-stay-choices]").replaceChildren(
      ...professionals.map((person) => {
        const choice = item("div", "", "choice");
        const input = document.createElement("input");
        Object.assign(input, { type: "checkbox", className: "choice__input", id: `stay-${person.id}`, value: String(person.id) });
        input.checked = ["may_stay_in_private_time", "is_advocate", "is_interpreter"].some((f) => person.flags.includes(f));
        const label = item("label", person.relation ? `${person.name} (${person.relation})` : person.name, "choice__label");
        label.htmlFor = input.id;
        choice.append(input, label);
        return choice;
      }),
    );
    $("[data-stay-none]").hidden = professionals.length > 0;
    show(true);
    $("[data-private-start-confirm]").focus();
  });
  $("[data-private-cancel]").addEventListener("click", () => {
    show(false);
    open.focus();
  });
  $("[data-private-start-confirm]").addEventListener("click", () => {
    const stay = [...$("[data-stay-choices]").querySelectorAll("input:checked")].map((input) => Number(input.value));
    send("start_private_time", { stay });
  });
}

function tick(state) {
  $("[data-timer]").textContent = formatSeconds(secondsLeft(state)) || "–";
}

// Every move can be taken back: "Moved to Check-in. Undo" goes back to where the meeting was.
let undoTo = null;
let undoTimer = null;

function moveTo(position, from) {
  socket.emit("go_to", { position }, (ack) => {
    if (!ack?.ok) {
      errorBox.textContent = ack?.error?.message ?? "";
      errorBox.hidden = false;
      return;
    }
    const stage = live.state.meeting.stages[position];
    $("[data-moved-text]").textContent = text("console-text", "moved").replace("{stage}", stage ? stageText(stage).title : "");
    undoTo = from;
    $("[data-undo]").hidden = from === null;
    clearTimeout(undoTimer);
    undoTimer = setTimeout(() => {
      $("[data-moved-text]").textContent = "";
      $("[data-undo]").hidden = true;
      undoTo = null;
    }, 15000);
  });
}

function move(step) {
  const stage = currentStage(live.state);
  if (!stage || live.state.meeting.status !== "live") return;
  const position = stage.position + step;
  if (position >= 0 && position < live.state.meeting.stages.length) moveTo(position, stage.position);
}

const live = followMeeting({
  auth: { meeting: Number(consoleRoot.dataset.meeting) },
  onState(state) {
    indicator.dataset.state = state;
    connectionText.textContent = messageFor("connection-messages", state);
  },
  render,
});
const socket = live.socket;
const plan = waiting ? null : createPlan(document.querySelector("[data-plan]"), { mode: "edit", socket });
const offers = offerTools(() => live.state, { mode: "edit", socket });
const closing = waiting ? null : createClosing(document.querySelector("[data-closing]"), { mode: "edit", socket });
const mediation = createMediation(document.querySelector("[data-mediation]"), { socket });
if (!waiting) setInterval(() => tick(live.state), 1000);

// Private family time starts or ends: the server draws the page anew for what the chair may see.
socket.on("private_time_changed", () => window.location.reload());
document.querySelector("[data-end-private]")?.addEventListener("click", () => {
  if (!window.confirm(text("console-text", "confirm-end-private"))) return;
  socket.emit("end_private_time", {}, (ack) => {
    if (ack?.ok) return;
    const box = document.querySelector("[data-private-error]");
    box.textContent = ack?.error?.message ?? "";
    box.hidden = false;
  });
});

admitAll?.addEventListener("click", () => send("admit_all", {}));
if (mayRun && !waiting) {
  bindPrivateStart();
  $("[data-start]").addEventListener("click", () => send("start", {}));
  $("[data-next]").addEventListener("click", () => move(1));
  $("[data-previous]").addEventListener("click", () => move(-1));
  $("[data-timer-start]").addEventListener("click", () => send("timer", { action: "start" }));
  $("[data-timer-pause]").addEventListener("click", () => send("timer", { action: "pause" }));
  for (const button of run.querySelectorAll("[data-timer-add]")) {
    button.addEventListener("click", () => send("timer", { action: "add", minutes: Number(button.dataset.timerAdd) }));
  }
  $("[data-lobby-toggle]").addEventListener("click", () => send("lobby", { open: !live.state.meeting.lobby_open }));
  for (const input of run.querySelectorAll("[data-display]")) {
    input.addEventListener("change", () => send("round", { display: input.value }));
  }
  $("[data-talking-piece]").addEventListener("click", () => {
    send("round", { talking_piece: !currentStage(live.state)?.talking_piece });
  });
  $("[data-pass-turn]").addEventListener("click", () => send("pass_turn", {}));
  $("[data-close-meeting]").addEventListener("click", () => {
    if (window.confirm(text("console-text", "confirm-close"))) send("close_meeting", {});
  });
  $("[data-reveal]").addEventListener("click", () => send("reveal", {}));
  const record = $("[data-record-form]");
  $("#record-person").addEventListener("change", () => renderRecordKinds(live.state, currentStage(live.state)));
  record.addEventListener("submit", (event) => {
    event.preventDefault();
    const stage = currentStage(live.state);
    const error = $("[data-record-error]");
    error.hidden = true;
    const payload = {
      client_id: newId(),
      participant_id: Number(record.elements.participant_id.value),
      text: record.elements.text.value,
      stage_id: stage?.id,
    };
    if (!$("[data-record-feeling]").hidden && record.elements.feeling.value) payload.feeling = record.elements.feeling.value;
    if (!$("[data-record-kind]").hidden) payload.kind = record.elements.kind.value;
    socket.emit("record", payload, (ack) => {
      if (ack?.ok) {
        record.elements.text.value = "";
        record.elements.feeling.value = "";
      } else {
        error.textContent = ack?.error?.message ?? "";
        error.hidden = false;
      }
    });
  });
  $("[data-undo]").addEventListener("click", () => {
    if (undoTo !== null) moveTo(undoTo, null);
  });
  // Alt+Shift+N and Alt+Shift+P: never a key that scrolls the page or types a letter. Read by
  // the key's place (`code`), so a layout or the Option key on a Mac does not change them.
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    if (event.code === "KeyN") {
      event.preventDefault();
      move(1);
    } else if (event.code === "KeyP") {
      event.preventDefault();
      move(-1);
    }
  });
}
