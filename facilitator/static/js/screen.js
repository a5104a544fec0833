// The room screen: draws the meeting from the server's state; needs no mouse
// or keyboard, and recovers by itself when the network comes back.
import { currentStage, element as item, followMeeting, formatSeconds, secondsLeft, stageNumber, text } from "./lib/meeting.js";
import { createClosing } from "./lib/closing.js";
import { createPlan, offerTools } from "./lib/plan.js";
import { renderRound } from "./lib/round.js";
import { drawRoomHouses } from "./lib/houses.js";
import { drawRoomMediation } from "./lib/mediation.js";

const root = document.querySelector("[data-room]");
const $ = (selector) => root.querySelector(selector);
const plan = createPlan($("[data-plan]"), { mode: "read" });
const offers = offerTools(() => live.state, { mode: "read" });
const closing = createClosing($("[data-closing]"), { mode: "read", shows: (does) => does.agreement || (does.terms && !does.plan) });

function render(state) {
  const meeting = state.meeting;
  if (!meeting) return;
  const stage = currentStage(state);
  $("[data-stage-number]").textContent = stageNumber(state, "room-text");
  $("[data-stage-title]").textContent = stage ? stage.title : text("room-text", "not-started");
  $("[data-questions]").replaceChildren(...(stage ? stage.questions.map((q) => item("li", q)) : []));
  renderRound($("[data-round]"), state, stage, offers);
  const planStage = Boolean(state.privateTime) || Boolean(stage?.does.plan);
  $("[data-private]").hidden = !state.privateTime;
  $("[data-plan-section]").hidden = !planStage;
  // Once there is something to read, the questions step back to make room for it.
  const busy = planStage || state.contributions.some((c) => c.stage_id === stage?.id) || Boolean(stage?.scale?.revealed);
  root.classList.toggle("room--busy", busy);
  plan.draw(state);
  closing.draw(state);
  drawRoomHouses(root, state, stage);
  drawRoomMediation($("[data-room-mediation]"), state);
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

const live = followMeeting({
  auth: { meeting: Number(root.dataset.meeting), screen: root.dataset.token },
  onState(connection) {
    const mark = $("[data-connection]");
    mark.dataset.state = connection;
    mark.querySelector("[data-connection-text]").textContent = text("room-text", connection);
  },
  render,
});

setInterval(() => tick(live.state), 1000);
