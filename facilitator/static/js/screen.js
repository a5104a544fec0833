// The room screen: draws the meeting from the server's state; needs no mouse
// or keyboard, and recovers by itself when the network comes back.
import { currentStage, followMeeting, formatSeconds, secondsLeft, text } from "./lib/meeting.js";

const root = document.querySelector("[data-room]");
const $ = (selector) => root.querySelector(selector);

function item(tag, content, className) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function render(state) {
  const meeting = state.meeting;
  if (!meeting) return;
  const stage = currentStage(state);
  $("[data-stage-number]").textContent = stage
    ? text("room-text", "stage-of").replace("{n}", stage.position + 1).replace("{total}", meeting.stages.length)
    : "";
  $("[data-stage-title]").textContent = stage ? stage.title : text("room-text", "not-started");
  $("[data-questions]").replaceChildren(...(stage ? stage.questions.map((q) => item("li", q)) : []));
  const said = stage ? state.contributions.filter((c) => c.stage_id === stage.id) : [];
  $("[data-said]").replaceChildren(
    ...said.map((c) => {
      const li = item("li", "", "room__said-item");
      li.append(item("strong", c.name), document.createTextNode(` ${c.text}`));
      return li;
    }),
  );
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
