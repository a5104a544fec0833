// The child's voice: three houses (worries, good things, dreams). The child, or their advocate,
// fills them on a phone and decides item by item who hears each thing: nobody yet, the family,
// or everyone; once shared, only ever more people. Everyone else is shown what the server sent
// them, as the child's own words: this file never decides who may read an item, it draws what
// the server sent this viewer. Every text comes from the page's <template id="houses-text">.
import { fromTemplate, syncList } from "./dom.js";
import { element, text } from "./meeting.js";
import { Outbox } from "./outbox.js";
import { canSpeak, speak, stopSpeaking } from "../read-aloud.js";

const SLUGS = { house_of_worries: "worries", house_of_good_things: "good-things", house_of_dreams: "dreams" };
export const HOUSES = Object.keys(SLUGS);
const WIDER = { nobody: 0, family: 1, everyone: 2 };
// On the room screen, the type steps down one size at a time until the houses fit the screen.
const ROOM_SIZES = 7;

const t = (key) => text("houses-text", key);
const say = (key, values = {}) =>
  Object.entries(values).reduce((words, [name, value]) => words.replaceAll(`{${name}}`, value), t(key));

/** The child's items among everything kept that this viewer was sent. */
export function houseItems(state) {
  return (state.items ?? []).filter((item) => item.kind.startsWith("house_"));
}

/** The children of the meeting this viewer knows of: let in and marked as a child, or the author of an item. */
function children(state) {
  const found = new Map();
  for (const person of state.people) {
    if (person.admission === "admitted" && person.flags.includes("is_child")) found.set(person.id, person.name);
  }
  for (const item of houseItems(state)) if (!found.has(item.author.id)) found.set(item.author.id, item.author.name);
  return [...found].map(([id, name]) => ({ id, name }));
}

/** Items by their child, in the order the children are known. */
function byChild(items, known = []) {
  const groups = new Map(known.map((child) => [child.id, { child, items: [] }]));
  for (const item of items) {
    if (!groups.has(item.author.id)) groups.set(item.author.id, { child: item.author, items: [] });
    groups.get(item.author.id).items.push(item);
  }
  return [...groups.values()];
}

function roofed(tag, words, className) {
  const heading = element(tag, "", className);
  const roof = element("span", "", "house__roof");
  roof.setAttribute("aria-hidden", "true");
  heading.append(roof, words);
  return heading;
}

// Reading aloud: one item at a time; the button reading now says "Stop reading".
let reading = null;

function showReading(button, on) {
  button.setAttribute("aria-pressed", String(on));
  button.textContent = t(on ? "stop" : "read");
  button.setAttribute("aria-label", on ? t("stop") : say("read-label", { text: button.dataset.words }));
}

function readAloud(button, words) {
  if (!canSpeak()) {
    button.hidden = true;
    return;
  }
  button.dataset.words = words;
  showReading(button, false);
  button.addEventListener("click", () => {
    const before = reading;
    reading = null;
    if (before) {
      stopSpeaking();
      showReading(before, false);
      if (before === button) return;
    }
    reading = button;
    showReading(button, true);
    speak([words], () => {
      if (reading !== button) return;
      reading = null;
      showReading(button, false);
    });
  });
}

function readButton(words) {
  const button = element("button", t("read"), "button button--secondary button--small");
  button.type = "button";
  readAloud(button, words);
  return button;
}

/** One shared item, as the child wrote it. */
function sharedItem(item, { readable }) {
  const li = element("li", "", "house-item house-item--shared");
  li.append(element("q", item.text, "house-item__words"));
  if (item.sharing === "family") li.append(element("span", t("family-only"), "tag tag--family"));
  if (readable && canSpeak()) li.append(readButton(item.text));
  return li;
}

/**
 * For each child, their three houses with the words they shared, under "In <name>'s own words".
 * `level`: the heading level of each child's part; `every`: show empty houses too.
 */
function drawOwnWords(root, groups, { level, every, readable, note = true }) {
  syncList(root, groups, {
    key: (group) => group.child?.id ?? "nobody",
    sign: (group) => JSON.stringify(group) + canSpeak(),
    render(group) {
      const part = element("section", "", "own-words");
      const name = group.child ? say("own-words", { name: group.child.name }) : t("own-words-nobody");
      const houses = element("div", "", "own-words__houses");
      for (const kind of HOUSES) {
        const items = group.items.filter((item) => item.kind === kind);
        if (!every && items.length === 0) continue;
        const house = element("section", "", `house house--${SLUGS[kind]}`);
        house.append(roofed(`h${level + 1}`, t(kind), "house__title"));
        if (items.length === 0) {
          house.append(element("p", t("nothing-shared"), "empty"));
        } else {
          const list = element("ul", "", "house__items");
          list.append(...items.map((item) => sharedItem(item, { readable })));
          house.append(list);
        }
        houses.append(house);
      }
      part.append(element(`h${level}`, name, "own-words__title"));
      if (note && group.child) part.append(element("p", say("own-words-note", { name: group.child.name }), "own-words__note"));
      part.append(houses);
      return part;
    },
  });
}

// ---- The phone ----

const panels = new WeakMap();
const following = new WeakSet(); // sockets whose reconnection sends what waits in the outbox
let flushNow = () => {};

/**
 * The phone's part: the three houses to fill for whoever may (`can.fill_houses`), and what the
 * children shared with this person, "In <name>'s own words". `holder` is the part of the page
 * drawn by the server (join/_houses.html); `live` the meeting followed.
 */
export function drawPhoneHouses(holder, state, live) {
  const panel = holder.querySelector("[data-houses]");
  const area = holder.querySelector("[data-own-words]");
  if (!panel || !area || !state.meeting) return;
  const fills = Boolean(state.can.fill_houses);
  panel.hidden = !fills;
  let own = null;
  if (fills) {
    if (!panels.has(panel)) panels.set(panel, fillPanel(panel, live, state.meeting.id));
    own = panels.get(panel).draw(state);
  }
  // The houses this person fills are in the panel; an advocate fills every child's.
  const groups = fills && own === null ? [] : byChild(houseItems(state).filter((item) => item.author.id !== own));
  drawOwnWords(area, groups, { level: 2, every: false, readable: true });
  area.hidden = groups.length === 0;
}

function fillPanel(panel, live, meetingId) {
  const outbox = new Outbox(`facilitator-houses-${meetingId}`);
  const $ = (selector) => panel.querySelector(selector);
  const status = $("[data-houses-status]");
  const whose = $("[data-houses-child]");
  let chosen = null; // the child an advocate writes for
  let target = null; // whose houses are shown: {id, name}, or null while no child is known
  let own = false; // the child's own houses
  let focusAfter = null; // an item to put the focus back on once it is drawn again

  function announce(message) {
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 50);
  }

  function houseOf(kind) {
    return panel.querySelector(`[data-house="${kind}"]`);
  }

  function showError(node, message) {
    node.textContent = message;
    node.hidden = !message;
  }

  function flush() {
    if (!live.socket.connected) return;
    for (const pending of outbox.items()) {
      live.socket.emit("keep", pending, (ack) => {
        if (ack?.ok) {
          outbox.remove(pending.client_id);
          announce(say("added", { house: t(pending.kind) }));
        } else if (ack?.error && ack.error.code !== "internal") {
          // Refused: the words go back into the box, with the reason.
          outbox.remove(pending.client_id);
          const house = houseOf(pending.kind);
          const field = house?.querySelector("textarea");
          if (field && !field.value.trim()) field.value = pending.text;
          if (house) showError(house.querySelector("[data-house-error]"), ack.error.message);
        }
        draw(live.state);
      });
    }
  }

  for (const house of panel.querySelectorAll("[data-house]")) {
    const form = house.querySelector("[data-house-write]");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const field = form.querySelector("textarea");
      const error = form.querySelector("[data-house-error]");
      const words = field.value.trim();
      if (!words) {
        showError(error, t("write-first"));
        field.focus();
        return;
      }
      showError(error, "");
      const payload = { kind: house.dataset.house, text: words };
      if (target && !own) payload.child_id = target.id;
      outbox.add(payload);
      field.value = "";
      draw(live.state);
      flush();
    });
  }
  whose.addEventListener("change", () => {
    chosen = Number(whose.value);
    draw(live.state);
  });
  flushNow = flush;
  if (!following.has(live.socket)) {
    following.add(live.socket);
    live.socket.on("connect", () => flushNow());
  }

  function share(item, sharing, node) {
    const error = node.querySelector("[data-item-error]");
    for (const button of node.querySelectorAll("[data-confirm] button")) button.disabled = true;
    live.socket.emit("share", { item_id: item.id, sharing }, (ack) => {
      for (const button of node.querySelectorAll("[data-confirm] button")) button.disabled = false;
      if (ack?.ok) {
        announce(t(`shared-${sharing}`));
        focusAfter = item.id;
        return;
      }
      showError(error, ack?.error?.message ?? t("not-saved"));
      keepChoice(item, node);
    });
  }

  function keepChoice(item, node) {
    for (const input of node.querySelectorAll("[data-choice]")) input.checked = input.value === item.sharing;
    node.querySelector("[data-confirm]").hidden = true;
  }

  function itemNode(item) {
    const node = fromTemplate("house-item");
    const perspective = own ? "own" : "for";
    const name = target?.name ?? "";
    node.querySelector("[data-text]").textContent = item.text;
    const by = node.querySelector("[data-written-by]");
    by.hidden = !item.written_by;
    by.textContent = item.written_by ? say("written-by", { name: item.written_by }) : "";
    node.querySelector(".who-choices__input[value=family] + label").textContent = t(`who-family-${perspective}`);
    for (const input of node.querySelectorAll("[data-choice]")) {
      input.id = `who-${item.id}-${input.value}`;
      input.name = `who-${item.id}`;
      input.nextElementSibling.htmlFor = input.id;
      input.checked = input.value === item.sharing;
      // Once heard, it can only reach more people: a narrower choice is not offered.
      input.disabled = WIDER[input.value] < WIDER[item.sharing] || item.sharing === "everyone";
    }
    const itemStatus = node.querySelector("[data-item-status]");
    itemStatus.textContent = say(`status-${item.sharing}-${perspective}`, { name });
    itemStatus.tabIndex = -1;
    const confirm = node.querySelector("[data-confirm]");
    const error = node.querySelector("[data-item-error]");
    let choice = item.sharing;
    for (const input of node.querySelectorAll("[data-choice]")) {
      input.addEventListener("change", () => {
        choice = input.value;
        showError(error, "");
        confirm.hidden = choice === item.sharing;
        if (!confirm.hidden) {
          node.querySelector("[data-confirm-text]").textContent = say(`confirm-${choice}-${perspective}`, { name });
        }
      });
    }
    node.querySelector("[data-confirm-yes]").addEventListener("click", () => share(item, choice, node));
    node.querySelector("[data-confirm-no]").addEventListener("click", () => {
      keepChoice(item, node);
      node.querySelector("[data-choice]:checked")?.focus();
    });
    const takeBack = node.querySelector("[data-take-back]");
    takeBack.hidden = item.sharing !== "nobody";
    takeBack.setAttribute("aria-label", say("take-back-label", { text: item.text }));
    takeBack.addEventListener("click", () => {
      if (!window.confirm(t("confirm-take-back"))) return;
      showError(error, "");
      takeBack.disabled = true;
      live.socket.emit("take_back", { item_id: item.id }, (ack) => {
        takeBack.disabled = false;
        if (!ack?.ok) {
          showError(error, ack?.error?.message ?? t("not-saved"));
          return;
        }
        announce(t("taken-back"));
        houseOf(item.kind)?.querySelector(".house__title").focus();
      });
    });
    const read = node.querySelector("[data-read]");
    read.hidden = item.sharing === "nobody";
    if (!read.hidden) readAloud(read, item.text);
    return node;
  }

  function pendingNode(pending) {
    const li = element("li", "", "house-item house-item--sending");
    li.append(element("p", pending.text, "house-item__text"), element("p", t("sending"), "house-item__status"));
    return li;
  }

  function draw(state) {
    const kids = children(state);
    const me = kids.find((child) => child.id === state.you?.id);
    own = Boolean(me);
    if (!own && !kids.some((child) => child.id === chosen)) chosen = kids[0]?.id ?? null;
    target = me ?? kids.find((child) => child.id === chosen) ?? null;

    // An advocate with several children chooses whose houses.
    $("[data-houses-whose]").hidden = own || kids.length < 2;
    const options = kids.map((child) => `${child.id}:${child.name}`).join("|");
    if (whose.dataset.options !== options) {
      whose.dataset.options = options;
      whose.replaceChildren(...kids.map((child) => new Option(child.name, String(child.id))));
    }
    if (target) whose.value = String(target.id);
    $("[data-houses-title]").textContent = own || !target ? t("your-houses") : say("their-houses", { name: target.name });
    $("[data-houses-intro]").textContent = own ? t("intro-own") : target ? say("intro-for", { name: target.name }) : t("intro-nobody");

    const items = houseItems(state).filter((item) => (target ? item.author.id === target.id : true));
    const kept = new Set(items.map((item) => item.client_id));
    const waiting = outbox
      .items()
      .filter((pending) => !kept.has(pending.client_id))
      .filter((pending) => (own ? !pending.child_id : (pending.child_id ?? null) === (target?.id ?? null)));
    for (const house of panel.querySelectorAll("[data-house]")) {
      const kind = house.dataset.house;
      const shown = [
        ...items.filter((item) => item.kind === kind).map((item) => ({ key: item.id, item })),
        ...waiting.filter((pending) => pending.kind === kind).map((pending) => ({ key: `p-${pending.client_id}`, pending })),
      ];
      const list = house.querySelector("[data-house-items]");
      syncList(list, shown, {
        key: (entry) => entry.key,
        sign: (entry) => JSON.stringify(entry) + own + (target?.name ?? ""),
        render: (entry) => (entry.item ? itemNode(entry.item) : pendingNode(entry.pending)),
      });
      house.querySelector("[data-house-empty]").hidden = shown.length > 0;
      if (focusAfter !== null) {
        const node = list.querySelector(`[data-key="${focusAfter}"]`);
        if (node) {
          focusAfter = null;
          node.querySelector("[data-item-status]").focus();
        }
      }
    }
    return own ? target.id : null;
  }

  flush();
  return { draw };
}

// ---- The room screen and the console ----

/**
 * The room screen at a `childs_voice` stage: each child's three houses side by side with what
 * the room was sent, the type stepping down until it fits the screen.
 */
export function drawRoomHouses(room, state, stage) {
  const area = room.querySelector("[data-room-houses]");
  if (!area) return;
  area.hidden = !stage?.does.houses;
  if (area.hidden) return;
  const groups = byChild(houseItems(state), children(state));
  drawOwnWords(area, groups.length ? groups : [{ child: null, items: [] }], {
    level: 2,
    every: true,
    readable: false,
    note: false,
  });
  window.requestAnimationFrame(() => fitRoom(area)); // once the rest of the screen is drawn
  if (!area.dataset.fits) {
    area.dataset.fits = "true";
    window.addEventListener("resize", () => { if (!area.hidden) fitRoom(area); });
  }
}

function fitRoom(area) {
  const stage = area.parentElement;
  const page = area.closest(".room")?.parentElement ?? document.body;
  const bottom = window.innerHeight - parseFloat(getComputedStyle(page).paddingBottom || "0") + 1;
  for (let size = 0; size < ROOM_SIZES; size += 1) {
    area.dataset.size = String(size);
    if (stage.getBoundingClientRect().bottom <= bottom) return;
  }
}

/** The console at a `childs_voice` stage: what the chairs were sent, as the child's own words. */
export function drawConsoleHouses(run, state, stage) {
  const section = run.querySelector("[data-console-houses]");
  if (!section) return;
  section.hidden = !stage?.does.houses;
  if (section.hidden) return;
  const groups = byChild(houseItems(state), children(state));
  drawOwnWords(section.querySelector("[data-own-words]"), groups.length ? groups : [{ child: null, items: [] }], {
    level: 4,
    every: true,
    readable: false,
  });
}
