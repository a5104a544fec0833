// The phone: follows the meeting live. When the chair lets the person in
// (or not), the changing part of the page is fetched again and swapped in,
// without reloading. Once in, it shows the current stage and takes answers,
// which wait in an outbox until the server has them.
import { messageFor } from "./lib/live.js";
import { currentStage, element as item, followMeeting, saidInStage, stageNumber, text } from "./lib/meeting.js";
import { Outbox } from "./lib/outbox.js";

const indicator = document.querySelector("[data-connection]");
const connectionText = document.querySelector("[data-connection-text]");
const holder = document.querySelector("[data-phone-state]");
const meetingId = Number(holder.dataset.meeting);
const outbox = new Outbox(`facilitator-outbox-${meetingId}`);
const $ = (selector) => holder.querySelector(selector);

async function refresh() {
  const response = await fetch(holder.dataset.stateUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  holder.innerHTML = await response.text();
  holder.querySelector("[data-focus]")?.focus();
  holder.addEventListener("click", (event) => {
  if (!event.target.closest("[data-leave]")) return;
  live.socket.emit("leave", {}, (ack) => {
    if (!ack?.ok) return;
    live.socket.disconnect();
    holder.querySelector("[data-leave-area]").hidden = true;
    holder.querySelector("[data-answer]").hidden = true;
    const left = holder.querySelector("[data-left]");
    left.hidden = false;
    left.querySelector("h2").focus();
  });
});
bindAnswerForm();
}

function render(state) {
  if (!$("[data-live]") || !state.meeting) return;
  const stage = currentStage(state);
  $("[data-stage-number]").textContent = stageNumber(state, "phone-text");
  $("[data-stage-title]").textContent = stage ? stage.title : text("phone-text", "not-started");
  $("[data-questions]").replaceChildren(...(stage ? stage.questions.map((q) => item("li", q)) : []));
  $("[data-answer]").hidden = !stage?.takes_answers;
  const said = saidInStage(state);
  $("[data-said-section]").hidden = said.length === 0;
  $("[data-said]").replaceChildren(...said);
  renderMine(state);
}

function renderMine(state) {
  const sent = state.contributions.filter((c) => c.participant_id === state.you?.id);
  const pending = outbox.items().filter((p) => !sent.some((c) => c.client_id === p.client_id));
  const rows = [
    ...sent.map((c) => [c.text, text("phone-text", "sent")]),
    ...pending.map((p) => [p.text, text("phone-text", "sending")]),
  ];
  const section = $("[data-mine-section]");
  if (!section) return;
  section.hidden = rows.length === 0;
  $("[data-mine]").replaceChildren(
    ...rows.map(([said, status]) => {
      const li = item("li", said);
      li.append(" ", item("em", `(${status})`));
      return li;
    }),
  );
}

function flush() {
  for (const pending of outbox.items()) {
    live.socket.emit("contribute", { client_id: pending.client_id, text: pending.text }, (ack) => {
      if (ack?.ok || ack?.error?.code === "invalid") {
        outbox.remove(pending.client_id);
      }
      if (ack && !ack.ok) {
        const error = $("[data-answer-error]");
        if (error) {
          error.textContent = ack.error.message;
          error.hidden = false;
        }
      }
      renderMine(live.state);
    });
  }
}

function bindAnswerForm() {
  const form = $("[data-answer]");
  if (!form || form.dataset.bound) return;
  form.dataset.bound = "true";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const field = form.querySelector("textarea");
    const said = field.value.trim();
    if (!said) return;
    $("[data-answer-error]").hidden = true;
    outbox.add({ text: said });
    field.value = "";
    renderMine(live.state);
    if (live.socket.connected) flush();
  });
}

const live = followMeeting({
  auth: { meeting: meetingId },
  onState(connection) {
    indicator.dataset.state = connection;
    connectionText.textContent = messageFor("connection-messages", connection);
    if (connection === "connected") flush();
  },
  render,
});

live.socket.on("admitted", async () => {
  await refresh();
  live.sync();
});
live.socket.on("declined", async () => {
  await refresh();
  live.socket.disconnect();
});
bindAnswerForm();
