// Dragging a stage to a new place, on top of the Move up / Move down buttons
// that do the same with a keyboard. The server decides; the page then reloads.

const list = document.querySelector("[data-agenda]");
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
let dragged = null;

function stageAt(event) {
  return event.target.closest("[data-stage-id]");
}

list.addEventListener("dragstart", (event) => {
  dragged = stageAt(event);
  if (!dragged) return;
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", dragged.dataset.stageId);
  dragged.classList.add("agenda__stage--dragging");
});

list.addEventListener("dragend", () => {
  dragged?.classList.remove("agenda__stage--dragging");
  dragged = null;
});

list.addEventListener("dragover", (event) => {
  const target = stageAt(event);
  if (dragged && target && target !== dragged) event.preventDefault();
});

list.addEventListener("drop", async (event) => {
  const target = stageAt(event);
  if (!dragged || !target || target === dragged) return;
  event.preventDefault();
  const position = [...list.children].indexOf(target);
  const url = list.dataset.moveUrl.replace(/\/0\/move$/, `/${dragged.dataset.stageId}/move`);
  const body = new URLSearchParams({ csrf_token: csrfToken, position: String(position) });
  await fetch(url, { method: "POST", body, credentials: "same-origin" });
  window.location.reload();
});
