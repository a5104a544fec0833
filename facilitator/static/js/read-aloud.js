// Read words aloud with the browser's speech synthesis, in the page's language, for people who
// find reading hard: the summary on its pages, and what a child shares in their houses. A
// button to read shows only where the browser has a voice for the page's language: English
// words in a Polish voice, or Urdu in an English one, help nobody.
const lang = () => document.documentElement.lang || "en";
const primary = (tag) => String(tag ?? "").toLowerCase().split(/[-_]/)[0];

function voice() {
  if (!("speechSynthesis" in window)) return null;
  return speechSynthesis.getVoices().find((v) => primary(v.lang) === primary(lang())) ?? null;
}

export function canSpeak() {
  return voice() !== null;
}

/** Say each text in turn; `onEnd` once the last has been said. Anything being said stops first. */
export function speak(texts, onEnd = () => {}) {
  speechSynthesis.cancel();
  texts.forEach((text, index) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang();
    utterance.voice = voice();
    if (index === texts.length - 1) utterance.addEventListener("end", onEnd);
    speechSynthesis.speak(utterance);
  });
}

export function stopSpeaking() {
  if ("speechSynthesis" in window) speechSynthesis.cancel();
}

const area = document.querySelector("[data-read-aloud]");
const summary = document.querySelector("[data-summary]");

if (area && summary && "speechSynthesis" in window) {
  const button = area.querySelector("[data-read-aloud-button]");
  const label = area.querySelector("[data-read-aloud-label]");
  const words = area.querySelector("[data-read-aloud-text]").content;
  const say = (key) => words.querySelector(`[data-key="${key}"]`).textContent;

  const show = (speaking) => {
    button.setAttribute("aria-pressed", String(speaking));
    label.textContent = say(speaking ? "stop" : "start");
  };

  // One utterance per paragraph or list item: short pieces are read more reliably, and pause naturally.
  const pieces = () =>
    [...summary.querySelectorAll("h1, h2, h3, p, li, dt, dd")]
      .filter((node) => !node.querySelector("p, li, dt, dd"))
      .map((node) => node.textContent.replace(/\s+/g, " ").trim())
      .filter(Boolean);

  button.addEventListener("click", () => {
    if (speechSynthesis.speaking) {
      speechSynthesis.cancel();
      show(false);
      return;
    }
    speak(pieces(), () => show(false));
    show(true);
  });
  window.addEventListener("pagehide", () => speechSynthesis.cancel());
  // Voices arrive after the page loads: the button shows once there is one for this language.
  const offer = () => { area.hidden = !canSpeak(); };
  speechSynthesis.addEventListener?.("voiceschanged", offer);
  offer();
}
