// Reading the meeting aloud, for people who find reading hard: on a phone, the current stage and
// what this person can do now (and, only when asked, the plan as the phone shows it); on the room
// screen, the stage and its questions, for the chair to play to the room.
//
// - Only ever on a tap: a phone in a room must never start speaking by itself. A second tap
//   stops; the meeting moving to another stage stops it too.
// - In the page's language (`<html lang>`), with one of the browser's voices for it (a bilingual
//   room screen then reads its second language, where there is a voice for it). Where the
//   browser has no voice for that language, or cannot speak at all, the buttons stay hidden:
//   English words read in a Polish voice help nobody. Voices arrive after the page loads
//   (`voiceschanged`), so the buttons may appear a moment later.
// - What is read is what the page shows, read from the page itself, so it is always in the
//   words (and the language) the person sees.
// - Words come from `<template id="speech-text">` (templates/_speech.html), translated.
import { text } from "./meeting.js";

const say = (key) => text("speech-text", key);
const words = (node) => node?.textContent.replace(/\s+/g, " ").trim() ?? "";
const primary = (tag) => String(tag ?? "").toLowerCase().split(/[-_]/)[0];
const exactly = (tag) => String(tag ?? "").toLowerCase().replace(/_/g, "-");

export function pageLanguage() {
  return document.documentElement.lang || "en";
}

function canSpeak() {
  return "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
}

/** The browser's voice for a language: the same tag ("en-GB") first, else the same language
 * ("en-US" for "en-GB"); null when it has none. */
export function voiceFor(lang = pageLanguage()) {
  if (!canSpeak()) return null;
  const voices = window.speechSynthesis.getVoices?.() ?? [];
  return (
    voices.find((voice) => exactly(voice.lang) === exactly(lang)) ??
    voices.find((voice) => primary(voice.lang) === primary(lang)) ??
    null
  );
}

/** `onChange(available)` now, and again each time the browser's voices change. */
function watchVoices(onChange) {
  if (!canSpeak()) {
    onChange(false);
    return;
  }
  const synth = window.speechSynthesis;
  const check = () => onChange(voiceFor() !== null);
  if (typeof synth.addEventListener === "function") synth.addEventListener("voiceschanged", check);
  else synth.onvoiceschanged = check;
  check();
}

// One thing is read at a time on a page: the button reading now, or null.
let reading = null;

function show(button, on) {
  button.setAttribute("aria-pressed", String(on));
  const label = button.querySelector("[data-speak-label]") ?? button;
  label.textContent = on ? say("stop") : say(`read-${button.dataset.speak}`);
}

/** Stop reading, if anything is being read. */
export function stopReading() {
  if (!reading) return;
  const button = reading;
  reading = null;
  window.speechSynthesis.cancel();
  show(button, false);
}

/** Read each text in turn (one utterance each: short pieces are read more reliably, and pause
 * naturally); the button shows it is reading until the last has been said. A text is a string,
 * in the page's language, or `{text, lang}` in another: read only where the browser has a voice
 * for that language. */
function read(button, texts) {
  stopReading();
  window.speechSynthesis.cancel(); // anything else on the page being read (a child's house item)
  const pieces = texts
    .map((piece) => (typeof piece === "string" ? { text: piece, lang: pageLanguage() } : piece))
    .map((piece) => ({ ...piece, voice: voiceFor(piece.lang) }))
    .filter((piece) => piece.text && piece.voice);
  if (pieces.length === 0) return;
  reading = button;
  show(button, true);
  const finished = () => {
    if (reading !== button) return;
    reading = null;
    show(button, false);
  };
  pieces.forEach((piece, index) => {
    const utterance = new SpeechSynthesisUtterance(piece.text);
    utterance.lang = piece.lang;
    utterance.voice = piece.voice;
    utterance.addEventListener("error", finished);
    if (index === pieces.length - 1) utterance.addEventListener("end", finished);
    window.speechSynthesis.speak(utterance);
  });
}

function visible(node) {
  if (!node || node.closest("[hidden]")) return false;
  return typeof node.checkVisibility === "function" ? node.checkVisibility() : node.getClientRects().length > 0;
}

/** The current stage as the page shows it: its number, its title, its questions (the first
 * drawn: in the page's own language, where a screen shows a second one beside it). */
export function stagePieces(root) {
  const questions = root.querySelector("[data-questions]");
  return [
    words(root.querySelector("[data-stage-number]")),
    words(root.querySelector("[data-stage-title]")),
    ...[...(questions?.children ?? [])].map(words),
  ];
}

/** What this person can do now, as the page shows it: each visible part the page marks with
 * `data-says-now` (the answer box's label and hint, the talking piece, the scores, ...),
 * after a lead-in ("What you can do now:"). */
function canDoPieces(root) {
  const said = [...root.querySelectorAll("[data-says-now]")].filter(visible).map(words).filter(Boolean);
  return said.length ? [say("can-do"), ...said] : [];
}

const BLOCKS = "h1, h2, h3, h4, p, li, dt";
const NOT_READ = "button, form, .item-tools, [data-speak], .visually-hidden";

/** A part of the page as it is shown: each heading, paragraph, list item and fact ("Who:
 * Kerry") that can be seen, in order; never buttons or forms. */
export function shownPieces(part) {
  if (!visible(part)) return [];
  return [...part.querySelectorAll(BLOCKS)]
    .filter((node) => !node.querySelector(BLOCKS) && !node.closest(NOT_READ) && visible(node))
    .map((node) => {
      if (node.tagName !== "DT") return words(node);
      const value = node.nextElementSibling?.tagName === "DD" ? words(node.nextElementSibling) : "";
      return value ? `${words(node)}: ${value}` : words(node);
    })
    .filter(Boolean);
}

/**
 * Read-aloud buttons (`[data-speak="<what>"]`, `aria-pressed`) anywhere in `root`, now or drawn
 * later: `what` names the function in `readers` that gives the texts when the button is tapped.
 * `stageOf()` says which stage the page shows; when it changes, reading stops.
 */
function readAloud(root, readers, stageOf) {
  if (!canSpeak()) return;
  let available = false;
  let stage = stageOf();
  const showButtons = () => {
    for (const button of root.querySelectorAll("[data-speak]")) button.hidden = !available;
  };
  watchVoices((now) => {
    available = now;
    showButtons();
    if (!available) stopReading();
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-speak]");
    if (!button || !root.contains(button)) return;
    if (reading === button) {
      stopReading();
      return;
    }
    read(button, readers[button.dataset.speak]?.() ?? []);
  });
  // The page is drawn by its own script: buttons may be drawn again (shown only with a voice),
  // and a new stage stops what was being read.
  new MutationObserver(() => {
    showButtons();
    const now = stageOf();
    if (now !== stage) {
      stage = now;
      stopReading();
    } else if (reading && !reading.isConnected) {
      stopReading();
    }
  }).observe(root, { childList: true, subtree: true, characterData: true });
  window.addEventListener("pagehide", stopReading);
}

const stageKey = (root) => stagePieces(root).slice(0, 2).join("\n");

/** The phone: the stage and what this person can do now; the plan when asked. */
export function readAloudOnPhone(holder) {
  readAloud(
    holder,
    {
      now: () => [...stagePieces(holder), ...canDoPieces(holder)],
      plan: () => shownPieces(holder.querySelector("[data-plan-section]")),
    },
    () => stageKey(holder),
  );
}

/** A bilingual room screen's second language: the stage's title and questions in it, each
 * marked with its language. */
function secondPieces(root) {
  const second = root.querySelector("[data-second]");
  if (!second) return [];
  const lang = second.lang;
  const questions = second.querySelector("[data-questions-2]");
  return [second.querySelector("[data-stage-title-2]"), ...(questions?.children ?? [])]
    .map((node) => ({ text: words(node), lang }));
}

/** The room screen: the stage's title and questions, for the chair to play to the room; on a
 * bilingual screen, then again in its second language, where the browser has a voice for it. */
export function readAloudOnRoomScreen(root) {
  readAloud(root, { now: () => [...stagePieces(root), ...secondPieces(root)] }, () => stageKey(root));
}
