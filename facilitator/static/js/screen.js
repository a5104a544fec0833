// The room screen: draws the meeting from the server's state; needs no mouse
// or keyboard, and recovers by itself when the network comes back.
import {
  currentStage,
  element as item,
  followMeeting,
  formatSeconds,
  saidInStage,
  secondsLeft,
  stageNumber,
  text,
} from "./lib/meeting.js";

const root = document.querySelector("[data-room]");
const $ = (selector) => root.querySelector(selector);

function render(state) {
  const meeting = state.meeting;
  if (!meeting) return;
  const stage = currentStage(state);
  $("[data-stage-number]").textContent = stageNumber(state, "room-text");
  $("[data-stage-title]").textContent = stage ? stage.title : text("room-text", "not-started");
  $("[data-questions]").replaceChildren(...(stage ? stage.questions.map((q) => item("li", q)) : []));
  $("[data-said]").replaceChildren(...saidInStage(state, "room__said-item"));
  $("[data-agenda]").replaceChildren(
    ...meeting.stages.map((s) => {
      const li = item("li", s.title);
      if (stage && s.position === stage.position) {
        li.className = "room__agenda-now";
        li.setAttribute("aria-current", "step");
      } else if (stage && s.position < stage.position) {
        li.className = "room__agenda-done";
      }
      return li;
    }),
  );
  $("[data-join]").hidden = !meeting.lobby_open;
  const here = state.people.filter((p) => p.presence === "online");
  $("[data-here-count]").textContent = `(${here.length})`;
  $("[data-here]").replaceChildren(...here.map((p) => item("li", p.name)));
  tick(state);
}

function tick(state) {
  $("[data-timer]").textContent = formatSeconds(secondsLeft(state));
}

const { state } = followMeeting({
  auth: { meeting: Number(root.dataset.meeting), screen: root.dataset.token },
  onState(connection) {
    const mark = $("[data-connection]");
    mark.dataset.state = connection;
    mark.querySelector("[data-connection-text]").textContent = text("room-text", connection);
  },
  render,
});

setInterval(() => tick(state), 1000);
