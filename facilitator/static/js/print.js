// The printable summary's "Print" button (the browser's own print dialogue).
const button = document.querySelector("[data-print]");
if (button) {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
}
