// A party's own space in a shuttle mediation, on their phone: what they write stays
// theirs (and the mediator's) until they pass it on, to one party or to everyone, in
// their own words or in words the mediator suggested and they approve. What others
// passed on to them, and the agreement's terms, which they accept or ask to change.
// The server decides: a refused command shows its reason where it was given.
import { button, day, fromTemplate, names, syncList, uniqueIds } from "./dom.js";
import { element, text } from "./meeting.js";
import { newId } from "./outbox.js";

const t = (key) => text("space-text", key);
// Drawn once per copy of the page part: the phone swaps that part when who the person is changes.
const spaces = new WeakMap();

/** Draw the own space inside `container`, if the page has one and this person keeps one. */
export function drawSpace(container, state, socket) {
  const root = container.querySelector("[data-space]");
  if (!root) return;
  let space = spaces.get(root);
  if (!space) {
    space = createSpace(root, socket);
    spaces.set(root, space);
  }
  space.draw(state);
}

/** A party's own items, not a child's houses (drawn elsewhere). */
export function spaceItems(items) {
  return items.filter((item) => !item.kind.startsWith("house_"));
}

function createSpace(root, socket) {
  const $ = (selector) => root.querySelector(selector);
  const write = $("[data-space-write]");
  const mine = $("[data-space-mine]");
  const received = $("[data-space-received]");
  const terms = $("[data-space-terms]");
  const open = new Map(); // "pass-12" / "change-3" -> the open form
  let state = null;
  let draftId = newId();

  write.addEventListener("submit", (event) => {
    event.preventDefault();
    const error = $("[data-space-error]");
    const field = write.elements.text;
    const save = write.querySelector("[type=submit]");
    error.hidden = true;
    field.removeAttribute("aria-invalid");
    save.disabled = true;
    const payload = { client_id: draftId, kind: write.querySelector("[name=kind]:checked")?.value ?? "", text: field.value };
    socket.emit("keep", payload, (ack) => {
      save.disabled = false;
      if (ack?.ok) {
        draftId = newId();
        field.value = "";
        return;
      }
      error.textContent = ack?.error?.message ?? t("not-saved");
      error.hidden = false;
      if (ack?.error?.code === "invalid") field.setAttribute("aria-invalid", "true");
      field.focus();
    });
  });

  function ended() {
    return Boolean(state.meeting?.session?.ended);
  }

  function otherParties() {
    const you = state.you?.id;
    return state.people.filter((p) => p.side === "family" && p.admission === "admitted" && p.id !== you);
  }

  function nameOf(id) {
    return state.people.find((p) => p.id === id)?.name ?? "";
  }

  function draw(next) {
    state = next;
    const you = state.you?.id;
    const between = ended();
    const banner = $("[data-space-between]");
    banner.hidden = !between;
    if (between) {
      const on = state.meeting.session.next_on;
      $("[data-space-between-text]").textContent = on ? t("between").replace("{date}", day(on)) : t("between-no-date");
    }
    write.hidden = between;
    if (between) for (const key of [...open.keys()]) close(key, false);

    const items = spaceItems(state.items ?? []);
    const own = items.filter((item) => item.author.id === you);
    const others = items.filter((item) => item.author.id !== you);
    keepFocus(() => {
      syncList(mine, own, {
        key: (item) => `i${item.id}`,
        sign: (item) => JSON.stringify([item, between, open.has(`pass-${item.id}`), state.meeting.session.number, peopleSign()]),
        render: ownNode,
      });
      syncList(received, others, {
        key: (item) => `r${item.id}`,
        sign: (item) => JSON.stringify([item, state.meeting.session.number]),
        render: receivedNode,
      });
      syncList(terms, state.terms ?? [], {
        key: (term) => `t${term.id}`,
        sign: (term) => JSON.stringify([term.text, term.revision, term.agreed, yourAnswer(term), between, open.has(`change-${term.id}`)]),
        render: termNode,
      });
    });
    $("[data-space-mine-empty]").hidden = own.length > 0;
    $("[data-space-received-empty]").hidden = others.length > 0;
    $("[data-space-terms-empty]").hidden = (state.terms ?? []).length > 0;
  }

  function peopleSign() {
    return otherParties().map((p) => `${p.id}:${p.name}`).join(",");
  }

  /** A redraw moves an open form into the item's new element: the person keeps typing. */
  function keepFocus(redraw) {
    const active = root.contains(document.activeElement) ? document.activeElement : null;
    redraw();
    if (active && active.isConnected && document.activeElement !== active) active.focus();
  }

  function meta(item) {
    const line = element("p", "", "kept__meta");
    line.append(element("span", t(`kind-${item.kind}`), `tag tag--${item.kind}`));
    if (state.meeting.session.number > 1) line.append(" ", element("span", t("session").replace("{n}", item.session), "kept__session"));
    return line;
  }

  function ownNode(item) {
    const node = element("li", "", `kept__item kept__item--${item.sharing}`);
    const words = element("p", item.text, "kept__text");
    words.id = `kept-${item.id}`;
    node.append(meta(item), words);
    const between = ended();
    if (item.sharing === "nobody") {
      node.append(element("p", t("only-you"), "kept__status"));
    } else {
      const to = names(item.passed_to.map(nameOf).filter(Boolean));
      if (item.shared_text === item.text) {
        node.append(element("p", t("passed-own").replace("{names}", to), "kept__status kept__status--passed"));
      } else {
        node.append(element("p", t("passed-words").replace("{names}", to), "kept__status kept__status--passed"));
        node.append(element("blockquote", item.shared_text, "kept__words"));
      }
    }
    if (item.sharing !== "nobody") return node;
    const error = element("p", "", "field__error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    const report = (ack) => {
      if (ack?.ok) return;
      error.textContent = ack?.error?.message ?? t("not-saved");
      error.hidden = false;
    };
    const describe = (control) => {
      control.setAttribute("aria-describedby", words.id);
      return control;
    };
    if (item.suggestion) {
      const box = element("div", "", "kept__suggestion");
      const said = element("p", t("suggests"), "kept__suggestion-label");
      said.id = `suggested-${item.id}`;
      box.append(said, element("blockquote", item.suggestion, "kept__words"));
      if (!between && !open.has(`pass-${item.id}`)) {
        const tools = element("div", "", "item-tools");
        const pass = button(t("pass-suggested"), "button button--small", () => openPass(item, "suggested"));
        pass.setAttribute("aria-describedby", said.id);
        const keep = button(t("keep-mine"), "button button--small button--secondary", () => {
          error.hidden = true;
          socket.emit("keep_my_words", { item_id: item.id }, report);
        });
        tools.append(pass, describe(keep));
        box.append(tools);
      }
      node.append(box);
    }
    const form = open.get(`pass-${item.id}`);
    if (form) node.append(form);
    if (!between && !form) {
      const tools = element("div", "", "item-tools");
      if (!item.suggestion) tools.append(describe(button(t("pass-on"), "button button--small", () => openPass(item, "mine"))));
      tools.append(describe(button(t("take-back"), "button button--small button--quiet-warning", () => {
        if (!window.confirm(t("confirm-take-back"))) return;
        error.hidden = true;
        socket.emit("take_back", { item_id: item.id }, report);
      })));
      node.append(tools);
    }
    node.append(error);
    return node;
  }

  function receivedNode(item) {
    const node = element("li", "", "kept__item kept__item--received");
    node.append(meta(item), element("p", item.text, "kept__text"));
    node.append(element("p", t("from").replace("{name}", item.author.name), "kept__from"));
    return node;
  }

  function openPass(item, wording) {
    const key = `pass-${item.id}`;
    if (!open.has(key)) {
      const form = fromTemplate("space-pass-form");
      uniqueIds(form);
      const parties = otherParties();
      const choices = form.querySelector("[data-pass-choices]");
      const options = parties.map((p) => [String(p.id), p.name]);
      if (parties.length > 1) options.push(["all", t("everyone").replace("{names}", names(parties.map((p) => p.name)))]);
      choices.replaceChildren(
        ...options.map(([value, label], index) => {
          const choice = element("div", "", "choice");
          const input = document.createElement("input");
          Object.assign(input, { type: "radio", name: "to", value, className: "choice__input", id: `pass-to-${item.id}-${index}` });
          input.checked = options.length === 1;
          const tag = element("label", label, "choice__label");
          tag.htmlFor = input.id;
          choice.append(input, tag);
          return choice;
        }),
      );
      form.querySelector("[data-pass-words]").textContent = wording === "suggested" ? item.suggestion : item.text;
      const revision = item.revision;
      const error = form.querySelector("[data-form-error]");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        error.hidden = true;
        const chosen = form.querySelector("[name=to]:checked")?.value;
        const to = chosen === "all" ? "all" : chosen ? Number(chosen) : null;
        const send = form.querySelector("[type=submit]");
        send.disabled = true;
        socket.emit("pass_on", { item_id: item.id, to, wording, revision }, (ack) => {
          send.disabled = false;
          if (ack?.ok) {
            close(key);
            return;
          }
          error.textContent = ack?.error?.message ?? t("not-saved");
          error.hidden = false;
        });
      });
      form.querySelector("[data-cancel]").addEventListener("click", () => close(key));
      open.set(key, form);
    }
    if (state) draw(state);
    open.get(key).querySelector("input:checked, input")?.focus();
  }

  function close(key, redraw = true) {
    const form = open.get(key);
    open.delete(key);
    form?.remove();
    if (!redraw || !state) return;
    draw(state);
    const id = key.split("-")[1];
    const near = key.startsWith("pass") ? mine.querySelector(`[data-key="i${id}"] button`) : terms.querySelector(`[data-key="t${id}"] button`);
    near?.focus();
  }

  function yourAnswer(term) {
    return term.answers.find((a) => a.participant_id === state.you?.id) ?? null;
  }

  function termNode(term) {
    const node = element("li", "", term.agreed ? "term term--agreed" : "term");
    const words = element("p", term.text, "term__text");
    words.id = `term-${term.id}`;
    node.append(words, element("p", term.agreed ? t("agreed") : t("not-agreed"), term.agreed ? "tag tag--agreed" : "tag tag--waiting"));
    const answer = yourAnswer(term);
    if (answer?.accepted === true) node.append(element("p", t("you-accepted"), "term__answer"));
    if (answer?.accepted === false) {
      node.append(element("p", t("you-asked"), "term__answer"), element("blockquote", answer.change ?? "", "kept__words"));
    }
    if (answer && answer.accepted === null) node.append(element("p", t("reworded"), "term__answer"));
    if (ended()) return node;
    const error = element("p", "", "field__error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    const form = open.get(`change-${term.id}`);
    if (form) {
      node.append(form);
      return node;
    }
    const tools = element("div", "", "item-tools");
    if (answer?.accepted !== true) {
      const accept = button(t("accept"), "button button--small", () => {
        error.hidden = true;
        socket.emit("answer_term", { term_id: term.id, revision: term.revision, accepted: true }, (ack) => {
          if (ack?.ok) return;
          error.textContent = ack?.error?.message ?? t("not-saved");
          error.hidden = false;
        });
      });
      accept.setAttribute("aria-describedby", words.id);
      tools.append(accept);
    }
    const change = button(t("change"), "button button--small button--secondary", () => openChange(term));
    change.setAttribute("aria-describedby", words.id);
    tools.append(change);
    node.append(tools, error);
    return node;
  }

  function openChange(term) {
    const key = `change-${term.id}`;
    if (!open.has(key)) {
      const form = fromTemplate("space-change-form");
      uniqueIds(form);
      const field = form.querySelector("[name=change]");
      const error = form.querySelector("[data-form-error]");
      const revision = term.revision;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        error.hidden = true;
        field.removeAttribute("aria-invalid");
        const send = form.querySelector("[type=submit]");
        send.disabled = true;
        socket.emit("answer_term", { term_id: term.id, revision, accepted: false, change: field.value }, (ack) => {
          send.disabled = false;
          if (ack?.ok) {
            close(key);
            return;
          }
          error.textContent = ack?.error?.message ?? t("not-saved");
          error.hidden = false;
          field.setAttribute("aria-invalid", "true");
          field.focus();
        });
      });
      form.querySelector("[data-cancel]").addEventListener("click", () => close(key));
      open.set(key, form);
    }
    if (state) draw(state);
    open.get(key).querySelector("textarea")?.focus();
  }

  return { draw };
}
