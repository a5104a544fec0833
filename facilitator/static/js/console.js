// The chair's console: the live connection, the lobby and who is in.
// Everything shown comes from the server (`sync`, then `people_changed`);
// a chair's decision is a command, and the list changes when the server says so.
import { connect, messageFor } from "./lib/live.js";

const indicator = document.querySelector("[data-connection]");
const text = document.querySelector("[data-connection-text]");
const consoleRoot = document.querySelector("[data-console]");
const lobby = document.querySelector("[data-lobby]");
const inMeeting = document.querySelector("[data-in]");
const admitAll = document.querySelector("[data-admit-all]");
const errorBox = document.querySelector("[data-console-error]");
const mayRun = consoleRoot?.dataset.mayRun === "true";
let version = -1;

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
  admit?.addEventListener("click", () => {
    const side = node.querySelector("[data-side]:checked")?.value;
    const flags = [...node.querySelectorAll("[data-flag]:checked")].map((input) => input.value);
    send("admit", { participant_id: person.id, side, flags });
  });
  decline?.addEventListener("click", () => send("decline", { participant_id: person.id }));
  return node;
}

function inItem(person) {
  const node = document.getElementById("in-person").content.firstElementChild.cloneNode(true);
  node.querySelector("[data-name]").textContent = person.name;
  node.querySelector("[data-relation]").textContent = person.relation ? `(${person.relation})` : "";
  node.querySelector("[data-side-label]").textContent = sideLabel(person.side);
  return node;
}

function showPeople(people) {
  const waiting = people.filter((p) => p.admission === "lobby");
  const admitted = people.filter((p) => p.admission === "admitted");
  lobby.replaceChildren(...waiting.map(lobbyItem));
  inMeeting.replaceChildren(...admitted.map(inItem));
  document.querySelector("[data-lobby-count]").textContent = `(${waiting.length})`;
  document.querySelector("[data-in-count]").textContent = `(${admitted.length})`;
  document.querySelector("[data-lobby-empty]").hidden = waiting.length > 0;
  document.querySelector("[data-in-empty]").hidden = admitted.length > 0;
  if (admitAll) admitAll.hidden = waiting.length < 2;
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

const socket = connect({
  auth: consoleRoot ? { meeting: Number(consoleRoot.dataset.meeting) } : {},
  onState(state) {
    indicator.dataset.state = state;
    text.textContent = messageFor("connection-messages", state);
  },
});

socket.on("connect", () => {
  socket.emit("sync", {}, (ack) => {
    if (!ack?.ok) return;
    version = ack.snapshot.version;
    showPeople(ack.snapshot.people ?? []);
  });
});

socket.on("people_changed", (event) => {
  if (event.version < version) return;
  version = event.version;
  showPeople(event.people);
});

admitAll?.addEventListener("click", () => send("admit_all", {}));
