// The mediator's side of a shuttle mediation, in the console: every party's own space (with
// words to suggest for what is not yet passed on), the proposals passed on, the agreement's
// terms and each party's answer, the sessions, and bringing the parties together. And the
// room screen's part: that each party is in their own space, and the terms, never an item.
import { button, day, fromTemplate, names, syncList, uniqueIds } from "./dom.js";
import { element, text } from "./meeting.js";
import { newId } from "./outbox.js";
import { spaceItems } from "./space.js";

const t = (key) => text("mediation-text", key);

function parties(state) {
  return state.people.filter((p) => p.side === "family" && p.admission === "admitted");
}

/** The console's mediation panel; does nothing on a console without one. */
export function createMediation(root, { socket }) {
  if (!root) return { draw() {} };
  const $ = (selector) => root.querySelector(selector);
  const errorBox = $("[data-mediation-error]");
  const spaces = $("[data-spaces]");
  const proposals = $("[data-proposals]");
  const terms = $("[data-terms]");
  const propose = $("[data-propose-term]");
  const open = new Map(); // "suggest-12" / "reword-3" -> the open form
  let state = null;
  let proposeId = newId();
  let fromItem = null;

  function send(command, payload, near = null, done = () => {}) {
    const box = near ?? errorBox;
    box.hidden = true;
    socket.emit(command, payload, (ack) => {
      if (ack?.ok) {
        done();
        return;
      }
      box.textContent = ack?.error?.message ?? t("not-saved");
      box.hidden = false;
    });
  }

  // Sessions, and meeting together.
  const endForm = $("[data-end-session]");
  endForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!window.confirm(t("confirm-end"))) return;
    const next = endForm.elements.next_on.value;
    send("end_session", next ? { next_on: next } : {}, null, () => { endForm.reset(); });
  });
  $("[data-start-session]").addEventListener("click", () => send("start_session", {}));
  const togetherOpen = $("[data-together-open]");
  const togetherConfirm = $("[data-together-confirm]");
  const showTogether = (visible) => {
    togetherConfirm.hidden = !visible;
    togetherOpen.setAttribute("aria-expanded", String(visible));
  };
  togetherOpen.addEventListener("click", () => {
    showTogether(true);
    $("[data-together-confirm-button]").focus();
  });
  $("[data-together-cancel]").addEventListener("click", () => {
    showTogether(false);
    togetherOpen.focus();
  });
  $("[data-together-confirm-button]").addEventListener("click", () => send("meet_together", {}, null, () => showTogether(false)));

  // Proposing a term, perhaps worded from a proposal passed on.
  const proposeError = propose.querySelector("[data-form-error]");
  const proposeText = propose.elements.text;
  propose.addEventListener("submit", (event) => {
    event.preventDefault();
    const payload = { client_id: proposeId, text: proposeText.value };
    if (fromItem) payload.from_item_id = fromItem.id;
    proposeText.removeAttribute("aria-invalid");
    send("propose_term", payload, proposeError, () => {
      proposeId = newId();
      proposeText.value = "";
      wordFrom(null);
    });
  });
  $("[data-propose-clear]").addEventListener("click", () => {
    proposeText.value = "";
    wordFrom(null);
    proposeText.focus();
  });

  function wordFrom(item) {
    fromItem = item;
    const note = $("[data-propose-from]");
    note.hidden = !item;
    $("[data-propose-clear]").hidden = !item;
    if (item) note.textContent = t("worded-from").replace("{name}", item.author.name).replace("{words}", item.shared_text);
  }

  function draw(next) {
    state = next;
    const meeting = state.meeting;
    root.hidden = !state.can.mediate || !meeting;
    if (root.hidden) return;
    const session = meeting.session;
    const ended = session.ended;
    $("[data-mediation-session]").textContent = ended
      ? session.next_on
        ? t("session-ended").replace("{n}", session.number).replace("{date}", day(session.next_on))
        : t("session-ended-no-date").replace("{n}", session.number)
      : t("session").replace("{n}", session.number);
    $("[data-mediation-apart]").textContent = meeting.apart ? t("apart") : t("together");
    endForm.hidden = ended || meeting.status !== "live";
    const start = $("[data-start-session]");
    $("[data-start-session-group]").hidden = !ended;
    start.textContent = t("start-session").replace("{n}", session.number + 1);
    $("[data-together]").hidden = !meeting.apart || ended;

    const items = spaceItems(state.items ?? []);
    const people = parties(state);
    const authors = [...people];
    for (const item of items) {
      if (!authors.some((p) => p.id === item.author.id)) authors.push({ id: item.author.id, name: item.author.name });
    }
    keepFocus(() => {
      syncList(spaces, authors, {
        key: (p) => `p${p.id}`,
        sign: (p) => `${p.id}:${p.name}`,
        render: spaceNode,
      });
      for (const node of spaces.children) {
        const id = Number(node.dataset.key.slice(1));
        const own = items.filter((item) => item.author.id === id);
        node.querySelector("[data-space-empty]").hidden = own.length > 0;
        syncList(node.querySelector(".kept"), own, {
          key: (item) => `i${item.id}`,
          sign: (item) => JSON.stringify([item, open.has(`suggest-${item.id}`), peopleSign(people)]),
          render: itemNode,
        });
      }
      syncList(proposals, passedOn(items), {
        key: (item) => `q${item.id}`,
        sign: (item) => JSON.stringify([item, (state.terms ?? []).some((term) => term.from_item_id === item.id), peopleSign(people)]),
        render: proposalNode,
      });
      syncList(terms, state.terms ?? [], {
        key: (term) => `t${term.id}`,
        sign: (term) => JSON.stringify([term, open.has(`reword-${term.id}`), peopleSign(people)]),
        render: termNode,
      });
    });
    $("[data-spaces-empty]").hidden = authors.length > 0;
    $("[data-proposals-empty]").hidden = passedOn(items).length > 0;
    $("[data-terms-empty]").hidden = (state.terms ?? []).length > 0;
  }

  function passedOn(items) {
    return items.filter((item) => item.kind === "proposal" && item.sharing !== "nobody");
  }

  function peopleSign(people) {
    return people.map((p) => `${p.id}:${p.name}`).join(",");
  }

  function keepFocus(redraw) {
    const active = root.contains(document.activeElement) ? document.activeElement : null;
    redraw();
    if (active && active.isConnected && document.activeElement !== active) active.focus();
  }

  function nameOf(id) {
    return state.people.find((p) => p.id === id)?.name ?? "";
  }

  function spaceNode(person) {
    const node = element("section", "", "mediation__space");
    const heading = element("h4", t("space-of").replace("{name}", person.name));
    heading.id = `space-of-${person.id}`;
    node.setAttribute("aria-labelledby", heading.id);
    const empty = element("p", t("nothing-yet"), "empty");
    empty.dataset.spaceEmpty = "";
    node.append(heading, empty, element("ul", "", "kept"));
    return node;
  }

  function meta(item) {
    const line = element("p", "", "kept__meta");
    line.append(element("span", t(`kind-${item.kind}`), `tag tag--${item.kind}`));
    if (state.meeting.session.number > 1) line.append(" ", element("span", t("session").replace("{n}", item.session), "kept__session"));
    return line;
  }

  function passedLine(item, node) {
    const to = names(item.passed_to.map(nameOf).filter(Boolean));
    if (item.shared_text === item.text) {
      node.append(element("p", t("passed-own").replace("{names}", to).replace("{name}", item.author.name), "kept__status kept__status--passed"));
    } else {
      node.append(element("p", t("passed-words").replace("{names}", to), "kept__status kept__status--passed"));
      node.append(element("blockquote", item.shared_text, "kept__words"));
    }
  }

  function itemNode(item) {
    const node = element("li", "", `kept__item kept__item--${item.sharing}`);
    const words = element("p", item.text, "kept__text");
    words.id = `mediated-${item.id}`;
    node.append(meta(item), words);
    if (item.sharing !== "nobody") {
      passedLine(item, node);
      return node;
    }
    node.append(element("p", t("only").replace("{name}", item.author.name), "kept__status"));
    if (item.suggestion) {
      const box = element("div", "", "kept__suggestion");
      box.append(
        element("p", t("suggested").replace("{by}", item.suggested_by ?? "").replace("{name}", item.author.name), "kept__suggestion-label"),
        element("blockquote", item.suggestion, "kept__words"),
      );
      node.append(box);
    }
    const error = element("p", "", "field__error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    const form = open.get(`suggest-${item.id}`);
    if (form) {
      node.append(form);
      return node;
    }
    const tools = element("div", "", "item-tools");
    const suggest = button(t(item.suggestion ? "change-suggestion" : "suggest"), "button button--small button--secondary", () => openSuggest(item));
    suggest.setAttribute("aria-describedby", words.id);
    tools.append(suggest);
    if (item.suggestion) {
      const withdraw = button(t("withdraw"), "button button--small button--quiet-warning", () => send("suggest", { item_id: item.id, words: null }, error));
      withdraw.setAttribute("aria-describedby", words.id);
      tools.append(withdraw);
    }
    node.append(tools, error);
    return node;
  }

  function openSuggest(item) {
    const key = `suggest-${item.id}`;
    if (!open.has(key)) {
      const form = fromTemplate("suggest-form");
      uniqueIds(form);
      const field = form.querySelector("[name=words]");
      field.value = item.suggestion ?? item.text;
      const error = form.querySelector("[data-form-error]");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        send("suggest", { item_id: item.id, words: field.value }, error, () => close(key));
      });
      form.querySelector("[data-cancel]").addEventListener("click", () => close(key));
      open.set(key, form);
    }
    if (state) draw(state);
    open.get(key).querySelector("textarea")?.focus();
  }

  function close(key) {
    const form = open.get(key);
    open.delete(key);
    form?.remove();
    if (!state) return;
    draw(state);
    const id = key.split("-")[1];
    const near = key.startsWith("suggest") ? spaces.querySelector(`[data-key="i${id}"] button`) : terms.querySelector(`[data-key="t${id}"] button`);
    near?.focus();
  }

  function proposalNode(item) {
    const node = element("li", "", "kept__item kept__item--proposal");
    node.append(element("p", item.shared_text, "kept__text"));
    const to = names(item.passed_to.map(nameOf).filter(Boolean));
    node.append(element("p", t("from-to").replace("{name}", item.author.name).replace("{names}", to), "kept__from"));
    if ((state.terms ?? []).some((term) => term.from_item_id === item.id)) {
      node.append(element("p", t("is-term"), "tag tag--agreed"));
      return node;
    }
    const make = button(t("make-term"), "button button--small", () => {
      proposeText.value = item.shared_text;
      wordFrom(item);
      proposeText.focus();
    });
    const what = item.shared_text.length > 60 ? `${item.shared_text.slice(0, 57)}…` : item.shared_text;
    make.setAttribute("aria-label", t("make-term-label").replace("{what}", what));
    const tools = element("div", "", "item-tools");
    tools.append(make);
    node.append(tools);
    return node;
  }

  function termNode(term) {
    const node = element("li", "", term.agreed ? "term term--agreed" : "term");
    const words = element("p", term.text, "term__text");
    words.id = `mediation-term-${term.id}`;
    node.append(words, element("p", term.agreed ? t("agreed") : t("not-agreed"), term.agreed ? "tag tag--agreed" : "tag tag--waiting"));
    const answers = element("ul", "", "term__answers");
    for (const party of parties(state)) {
      const answer = term.answers.find((a) => a.participant_id === party.id);
      const li = element("li");
      if (!answer) li.textContent = t("not-answered").replace("{name}", party.name);
      else if (answer.accepted === true) li.textContent = t("accepts").replace("{name}", party.name);
      else if (answer.accepted === null) li.textContent = t("asked-again").replace("{name}", party.name);
      else li.append(element("span", t("asks").replace("{name}", party.name)), " ", element("q", answer.change ?? "", "term__change"));
      answers.append(li);
    }
    node.append(answers);
    const error = element("p", "", "field__error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    const form = open.get(`reword-${term.id}`);
    if (form) {
      node.append(form);
      return node;
    }
    const tools = element("div", "", "item-tools");
    const reword = button(t("reword"), "button button--small button--secondary", () => openReword(term));
    const remove = button(t("remove"), "button button--small button--quiet-warning", () => {
      if (window.confirm(t("confirm-remove"))) send("remove_term", { term_id: term.id }, error);
    });
    reword.setAttribute("aria-describedby", words.id);
    remove.setAttribute("aria-describedby", words.id);
    tools.append(reword, remove);
    node.append(tools, error);
    return node;
  }

  function openReword(term) {
    const key = `reword-${term.id}`;
    if (!open.has(key)) {
      const form = fromTemplate("reword-form");
      uniqueIds(form);
      const field = form.querySelector("[name=text]");
      field.value = term.text;
      const revision = term.revision;
      const error = form.querySelector("[data-form-error]");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        send("reword_term", { term_id: term.id, revision, text: field.value }, error, () => close(key));
      });
      form.querySelector("[data-cancel]").addEventListener("click", () => close(key));
      open.set(key, form);
    }
    if (state) draw(state);
    open.get(key).querySelector("textarea")?.focus();
  }

  return { draw };
}

/** The room screen while the parties are apart: that each is in their own space, and the
 * agreement's terms as they stand. No party's words are ever drawn here. */
export function drawRoomMediation(root, state) {
  if (!root || !state.meeting) return;
  const rt = (key) => text("room-mediation-text", key);
  const meeting = state.meeting;
  const apart = root.querySelector("[data-room-apart]");
  apart.hidden = !meeting.apart;
  const session = root.querySelector("[data-room-session]");
  session.hidden = !meeting.session?.ended;
  if (!session.hidden) {
    session.textContent = meeting.session.next_on ? rt("ended").replace("{date}", day(meeting.session.next_on)) : rt("ended-no-date");
  }
  const list = state.terms ?? [];
  const section = root.querySelector("[data-room-terms]");
  section.hidden = list.length === 0;
  syncList(root.querySelector("[data-room-terms-list]"), list, {
    key: (term) => `t${term.id}`,
    sign: (term) => JSON.stringify([term.text, term.agreed]),
    render(term) {
      const li = element("li", "", term.agreed ? "term term--agreed" : "term");
      li.append(element("p", term.text, "term__text"), element("p", term.agreed ? rt("agreed") : rt("not-agreed"), term.agreed ? "tag tag--agreed" : "tag tag--waiting"));
      return li;
    },
  });
}
