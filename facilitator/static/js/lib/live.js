// The live connection every page shares: connects with the page's own
// cookie (the server decides who we are) and reports its state.
import { io } from "../../vendor/socket.io-4.8.1.esm.min.js";

/**
 * Connect to the server. `auth` names the meeting to follow ({meeting: id}),
 * or is a function that gives it at each connect (socket.io's own form); the
 * server checks it against who we are. `onState` receives "connected",
 * "reconnecting" or "refused"; `onHello` receives the server's hello (who it
 * takes us for, and its clock).
 */
export function connect({ auth = {}, onState = () => {}, onHello = () => {} } = {}) {
  const socket = io({ auth });
  socket.on("hello", onHello);
  socket.on("connect", () => onState("connected"));
  socket.on("disconnect", () => onState("reconnecting"));
  socket.on("connect_error", (error) => {
    // A refusal by the server (not signed in) will not fix itself by retrying.
    if (socket.active) {
      onState("reconnecting");
    } else {
      onState("refused", error);
    }
  });
  return socket;
}

/** The text for a state, from a <template> of translated messages on the page. */
export function messageFor(templateId, state) {
  const template = document.getElementById(templateId);
  const node = template && template.content.querySelector(`[data-state="${state}"]`);
  return node ? node.textContent : state;
}
