// "Exit this page" (the GOV.UK pattern): one tap, or Shift pressed three
// times, blanks this page and replaces it with a neutral site, so the back
// button does not come back here.

const link = document.querySelector("[data-quick-exit]");

function exitNow(event) {
  event?.preventDefault();
  document.title = "";
  document.body.replaceChildren();
  window.location.replace(link.href);
}

if (link) {
  link.addEventListener("click", exitNow);
  let presses = [];
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Shift" || event.repeat) return;
    const now = Date.now();
    presses = [...presses.filter((t) => now - t < 5000), now];
    if (presses.length >= 3) exitNow();
  });
}
