// The print button on pages meant for paper; printing from the browser menu works too.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
