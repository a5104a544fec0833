// The phone: follows the meeting live. When the chair lets the person in
// (or not), the changing part of the page is fetched again and swapped in,
// without reloading the page.
import { connect, messageFor } from "./lib/live.js";

const indicator = document.querySelector("[data-connection]");
const text = document.querySelector("[data-connection-text]");
const state = document.querySelector("[data-phone-state]");

async function refresh() {
  const response = await fetch(state.dataset.stateUrl, { credentials: "same-origin" });
  if (!response.ok) return;
  state.innerHTML = await response.text();
  state.querySelector("[data-focus]")?.focus();
}

const socket = connect({
  auth: { meeting: Number(state.dataset.meeting) },
  onState(connection) {
    indicator.dataset.state = connection;
    text.textContent = messageFor("connection-messages", connection);
  },
});

socket.on("admitted", async () => {
  await refresh();
  socket.emit("sync", {}, () => {});
});
socket.on("declined", async () => {
  await refresh();
  socket.disconnect();
});
