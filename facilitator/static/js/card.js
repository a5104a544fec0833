// The personal-link card: print it, or copy the link (selected for copying by
// hand where the browser allows no clipboard, as on plain http).

for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}

const link = document.querySelector("#personal-link");
const status = document.querySelector("[data-copy-status]");
for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    link.select();
    try {
      await navigator.clipboard.writeText(link.value);
      status.textContent = status.dataset.copied;
    } catch {
      status.textContent = status.dataset.selected;
    }
  });
}
