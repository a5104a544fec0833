// The chair's console: shows whether the live connection is up.
import { connect, messageFor } from "./lib/live.js";

const indicator = document.querySelector("[data-connection]");
const text = document.querySelector("[data-connection-text]");

connect({
  onState(state) {
    indicator.dataset.state = state;
    text.textContent = messageFor("connection-messages", state);
  },
});
