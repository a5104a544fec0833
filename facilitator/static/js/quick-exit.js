// "Exit this page" (the GOV.UK pattern): one tap, or Shift pressed on its own three times,
// blanks this page and replaces it with a neutral site, so the back button does not come back
// here.
//
// Only a Shift pressed and let go with no other key in between counts, so typing a name with
// capitals ("Kerry Ann Smith") never leaves the page: any other key, a Shift held for a capital
// letter among them, starts the count again. Three counted presses within a few seconds leave.

const link = document.querySelector("[data-quick-exit]");
const PRESSES = 3;
const WITHIN_MS = 5000;

function exitNow(event) {
  event?.preventDefault();
  document.title = "";
  document.body.replaceChildren();
  window.location.replace(link.href);
}

if (link) {
  link.addEventListener("click", exitNow);
  let presses = []; // when each lone Shift was let go
  let alone = false; // a Shift is down and no other key has been pressed since
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Shift") {
        if (!event.repeat) alone = true;
        return;
      }
      alone = false;
      presses = [];
    },
    true,
  );
  document.addEventListener(
    "keyup",
    (event) => {
      if (event.key !== "Shift" || !alone) return;
      alone = false;
      const now = Date.now();
      presses = [...presses.filter((at) => now - at < WITHIN_MS), now];
      if (presses.length >= PRESSES) exitNow();
    },
    true,
  );
  // Keys pressed in another window or tab are not seen here: a Shift down when the page lost
  // focus no longer counts.
  window.addEventListener("blur", () => {
    alone = false;
  });
}
