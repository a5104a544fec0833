// The family's plan, drawn the same way on every view: outcomes, and the
// actions under them (who, what, by when, how we will know). In "edit" mode
// (the family, the chairs) every item can be changed, and proposals and offers
// accepted; in "propose" mode (a professional) new actions are proposals, and
// only one's own proposals and offers can be changed until they are accepted;
// "read" (the room screen) only shows. An offer is in the plan as soon as it
// is made, marked as offered until the family accepts or changes it. The
// server decides in the end: a refused command shows its reason, and an edit
// that crossed someone else's shows both versions so the person decides.
import { fromTemplate, syncList, uniqueIds } from "./dom.js";
import { element, text } from "./meeting.js";
import { newId } from "./outbox.js";

function t(key) {
  return text("plan-text", key);
}

export function createPlan(root, { mode, socket, youId = null, notes: writesNotes = false }) {
  const editing = new Map(); // "o12" / "a5" / "new-outcome" / "new-action" -> the open form
  let state = null;

  root.classList.add("plan");
  const outcomes = element("div", "", "plan__outcomes");
  const loose = element("section", "", "plan__loose");
  loose.append(element("h3", t("loose"), "plan__loose-title"), element("ul", "", "actions"));
  const notes = element("section", "", "plan__notes");
  notes.append(element("h3", t("notes"), "plan__notes-title"), element("ul", "", "notes"));
  const empty = element("p", t("empty"), "empty");
  const problem = element("p", "", "form-message");
  problem.dataset.planError = "";
  problem.setAttribute("role", "alert");
  problem.hidden = true;
  const adding = element("div", "", "plan__adding");
  const buttons = element("div", "", "button-group");
  root.replaceChildren(outcomes, loose, notes, empty, problem, adding, buttons);

  if (mode === "edit") {
    buttons.append(button(t("add-outcome"), "button", () => open("new-outcome")));
  }
  if (writesNotes) {
    buttons.append(button(t("add-note"), "button button--secondary", () => open("new-note")));
  }
  if (mode !== "read") {
    buttons.append(button(t(mode === "edit" ? "add-action" : "propose-action"), "button button--secondary", () => open("new-action")));
  }

  function button(label, className, onClick) {
    const node = element("button", label, className);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  /** Waiting for the family: a professional's proposal, or an offer. */
  function waiting(action) {
    return action.status === "proposed" || action.status === "offered";
  }

  function mayChange(action) {
    if (mode === "edit") return true;
    return mode === "propose" && waiting(action) && action.proposed_by?.id === youId;
  }

  // Drawing.
  function draw(next) {
    state = next;
    const plan = state.plan;
    syncList(outcomes, plan.outcomes, {
      key: (o) => `o${o.id}`,
      sign: (o) => (editing.has(`o${o.id}`) ? "editing" : JSON.stringify(o)),
      render: outcomeNode,
    });
    for (const node of outcomes.children) {
      const id = Number(node.dataset.key.slice(1));
      drawActions(node.querySelector(".actions"), plan.actions.filter((a) => a.outcome_id === id));
    }
    const others = plan.actions.filter((a) => a.outcome_id === null);
    loose.hidden = others.length === 0;
    loose.firstChild.textContent = plan.outcomes.length ? t("loose") : t("actions");
    drawActions(loose.querySelector(".actions"), others);
    const noted = plan.notes ?? [];
    notes.hidden = noted.length === 0;
    syncList(notes.querySelector(".notes"), noted, {
      key: (n) => `n${n.id}`,
      sign: (n) => (editing.has(`n${n.id}`) ? "editing" : JSON.stringify(n)),
      render: noteNode,
    });
    empty.hidden = plan.outcomes.length + plan.actions.length + noted.length > 0;
  }

  function drawActions(list, actions) {
    syncList(list, actions, {
      key: (a) => `a${a.id}`,
      sign: (a) => (editing.has(`a${a.id}`) || editing.has(`p${a.id}`) ? "editing" : JSON.stringify(a) + mode + reviewing()),
      render: actionNode,
    });
  }

  function outcomeNode(outcome) {
    const node = element("article", "", "outcome");
    const key = `o${outcome.id}`;
    if (editing.has(key)) {
      node.append(editing.get(key));
    } else {
      const head = element("div", "", "outcome__head");
      head.append(element("h3", outcome.text, "outcome__text"));
      if (mode === "edit") {
        const tools = element("div", "", "item-tools");
        tools.append(
          labelled(button(t("edit"), "button button--small button--secondary", () => open(key, outcome)), t("edit-outcome"), outcome.text),
          labelled(button(t("remove"), "button button--small button--quiet-warning", () => remove("remove_outcome", { outcome_id: outcome.id, revision: outcome.revision })), t("remove-outcome"), outcome.text),
        );
        head.append(tools);
      }
      node.append(head);
    }
    node.append(element("ul", "", "actions"));
    return node;
  }

  function labelled(node, pattern, what) {
    node.setAttribute("aria-label", pattern.replace("{what}", what.length > 60 ? `${what.slice(0, 57)}…` : what));
    return node;
  }

  /** At a review's "how the plan is going" stage, the family and the chairs say how each action went. */
  function reviewing() {
    const meeting = state?.meeting;
    return mode === "edit" && meeting?.status === "live" && Boolean(meeting.stages[meeting.current_position]?.does.plan_review);
  }

  function actionNode(action) {
    const key = `a${action.id}`;
    // An offer waits for the family as a proposal does, and looks it.
    const node = element("li", "", `action action--${action.status}${action.status === "offered" ? " action--proposed" : ""}`);
    const form = editing.get(key) ?? editing.get(`p${action.id}`);
    if (form) {
      node.append(form);
      return node;
    }
    node.append(element("p", action.what, "action__what"));
    const facts = element("dl", "", "action__facts");
    const fact = (label, value, quiet = false) => {
      const row = element("div", "", "action__fact");
      row.append(element("dt", label), element("dd", value, quiet ? "action__unset" : ""));
      facts.append(row);
    };
    fact(t("who"), action.who.name);
    fact(t("by-when"), action.by_when || t("not-set"), !action.by_when);
    if (action.how_we_know) fact(t("how-we-know"), action.how_we_know);
    node.append(facts);
    if (action.carried && (action.progress || state.meeting?.is_review)) {
      const progress = action.progress ? text("closing-text", `progress-${action.progress}`) : t("not-reviewed");
      const line = element("p", action.progress_note ? `${progress}: ${action.progress_note}` : progress, `progress progress--${action.progress ?? "none"}`);
      line.prepend(element("strong", `${t("progress")} `));
      node.append(line);
    }
    if (action.status === "proposed") {
      node.append(element("p", t("proposed").replace("{name}", action.proposed_by?.name ?? ""), "tag tag--proposed"));
    } else if (action.status === "offered") {
      node.append(element("p", t("offered").replace("{name}", action.proposed_by?.name ?? action.who.name), "tag tag--proposed"));
    }
    const tools = element("div", "", "item-tools");
    if (action.carried && reviewing()) {
      tools.append(labelled(button(t("review-action"), "button button--small", () => open(`p${action.id}`, action)), t("review-action-label"), action.what));
    }
    if (mode === "edit" && waiting(action)) {
      tools.append(labelled(button(t("accept"), "button button--small", () => accept(action)), t("accept-action"), action.what));
    }
    if (mayChange(action)) {
      tools.append(
        labelled(button(t("edit"), "button button--small button--secondary", () => open(key, action)), t("edit-action"), action.what),
        labelled(button(t("remove"), "button button--small button--quiet-warning", () => remove("remove_action", { action_id: action.id, revision: action.revision })), t("remove-action"), action.what),
      );
    }
    if (tools.childElementCount) node.append(tools);
    return node;
  }

  function noteNode(note) {
    const key = `n${note.id}`;
    const node = element("li", "", note.family_only ? "note note--family" : "note");
    if (editing.has(key)) {
      node.append(editing.get(key));
      return node;
    }
    node.append(element("p", note.text, "note__text"));
    if (note.family_only) node.append(element("p", t("family-only"), "tag tag--family"));
    if (writesNotes) {
      const tools = element("div", "", "item-tools");
      tools.append(
        labelled(button(t("edit"), "button button--small button--secondary", () => open(key, note)), t("edit-note"), note.text),
        labelled(button(t("remove"), "button button--small button--quiet-warning", () => remove("remove_note", { note_id: note.id, revision: note.revision })), t("remove-note"), note.text),
      );
      node.append(tools);
    }
    return node;
  }

  // Commands.
  function report(ack, near) {
    const box = near?.querySelector("[data-form-error]") ?? root.querySelector("[data-plan-error]");
    if (ack?.ok) return true;
    if (box) {
      box.textContent = ack?.error?.message ?? t("not-saved");
      box.hidden = false;
    }
    return false;
  }

  function accept(action) {
    problem.hidden = true;
    socket.emit("accept_action", { action_id: action.id, revision: action.revision }, (ack) => report(ack));
  }

  function remove(command, payload) {
    if (!window.confirm(t("confirm-remove"))) return;
    problem.hidden = true;
    socket.emit(command, payload, (ack) => report(ack));
  }

  // Forms: one per item being edited, and one each for a new outcome or action.
  function open(key, item = null) {
    if (!editing.has(key)) {
      // Keys: "o12", "a5", "n3" for items; "new-outcome", "new-action", "new-note" for new ones.
      const kind = key.startsWith("new-") ? key.slice(4) : { o: "outcome", a: "action", n: "note", p: "progress" }[key[0]];
      const form = { outcome: outcomeForm, action: actionForm, note: noteForm, progress: progressForm }[kind](key, item);
      editing.set(key, form);
      if (key.startsWith("new")) adding.append(form);
    }
    if (state) draw(state);
    editing.get(key).querySelector("textarea, input, select")?.focus();
  }

  function close(key) {
    const form = editing.get(key);
    editing.delete(key);
    form?.remove();
    if (state) draw(state);
    const itemKey = key.startsWith("p") ? `a${key.slice(1)}` : key;
    const focus = key.startsWith("new") ? buttons.querySelector("button") : root.querySelector(`[data-key="${itemKey}"] button`);
    focus?.focus();
  }

  function outcomeForm(key, outcome) {
    const form = fromTemplate("outcome-form");
    uniqueIds(form);
    form.querySelector("[data-title]").textContent = outcome ? t("edit-outcome-title") : t("new-outcome-title");
    const field = form.querySelector("[name=text]");
    field.value = outcome?.text ?? "";
    let revision = outcome?.revision;
    const clientId = newId();
    wire(form, key, () => {
      const text = field.value;
      if (!outcome) return ["add_outcome", { client_id: clientId, text }];
      return ["edit_outcome", { outcome_id: outcome.id, revision, text }];
    }, (current) => {
      revision = current.revision;
      return current.text;
    });
    return form;
  }

  function noteForm(key, note) {
    const form = fromTemplate("note-form");
    uniqueIds(form);
    form.querySelector("[data-title]").textContent = note ? t("edit-note-title") : t("new-note-title");
    const field = form.querySelector("[name=text]");
    const kept = form.querySelector("[name=family_only]");
    field.value = note?.text ?? "";
    kept.checked = note?.family_only ?? false;
    let revision = note?.revision;
    const clientId = newId();
    wire(form, key, () => {
      const details = { text: field.value, family_only: kept.checked };
      if (!note) return ["add_note", { client_id: clientId, ...details }];
      return ["edit_note", { note_id: note.id, revision, ...details }];
    }, (current) => {
      revision = current.revision;
      return current.text;
    });
    return form;
  }

  function progressForm(key, action) {
    const form = fromTemplate("progress-form");
    uniqueIds(form);
    form.querySelector("[data-title]").textContent = action.what;
    for (const input of form.querySelectorAll("[name=progress]")) input.checked = input.value === action.progress;
    form.querySelector("[name=note]").value = action.progress_note;
    let revision = action.revision;
    wire(form, key, () => [
      "action_progress",
      {
        action_id: action.id,
        revision,
        progress: form.querySelector("[name=progress]:checked")?.value ?? null,
        note: form.querySelector("[name=note]").value,
      },
    ], (current) => {
      revision = current.revision;
      return [current.progress ? text("closing-text", `progress-${current.progress}`) : "", current.progress_note].filter(Boolean).join(": ");
    });
    return form;
  }

  function actionForm(key, action) {
    const form = fromTemplate("action-form");
    uniqueIds(form);
    const title = action ? t("edit-action-title") : mode === "edit" ? t("new-action-title") : t("propose-action-title");
    form.querySelector("[data-title]").textContent = title;
    const who = form.querySelector("[name=who]");
    const whoText = form.querySelector("[name=who_text]");
    const whoTextRow = form.querySelector("[data-who-text]");
    const outcome = form.querySelector("[name=outcome]");
    for (const person of state.people.filter((p) => p.admission === "admitted")) {
      who.append(new Option(person.name, String(person.id)));
    }
    for (const item of state.plan.outcomes) {
      outcome.append(new Option(item.text.length > 60 ? `${item.text.slice(0, 57)}…` : item.text, String(item.id)));
    }
    const showWhoText = () => { whoTextRow.hidden = who.value !== ""; };
    who.addEventListener("change", showWhoText);
    const fill = (item) => {
      form.querySelector("[name=what]").value = item?.what ?? "";
      who.value = item?.who.participant_id ? String(item.who.participant_id) : youId && !item ? String(youId) : "";
      whoText.value = item && !item.who.participant_id ? item.who.name : "";
      form.querySelector("[name=by_when]").value = item?.by_when ?? "";
      form.querySelector("[name=how_we_know]").value = item?.how_we_know ?? "";
      outcome.value = item?.outcome_id ? String(item.outcome_id) : "";
      showWhoText();
    };
    fill(action);
    let revision = action?.revision;
    const clientId = newId();
    wire(form, key, () => {
      const details = {
        what: form.querySelector("[name=what]").value,
        by_when: form.querySelector("[name=by_when]").value,
        how_we_know: form.querySelector("[name=how_we_know]").value,
        outcome_id: outcome.value ? Number(outcome.value) : null,
      };
      if (who.value) details.who_participant_id = Number(who.value);
      else details.who_text = whoText.value;
      if (!action) return ["add_action", { client_id: clientId, ...details }];
      return ["edit_action", { action_id: action.id, revision, ...details }];
    }, (current) => {
      revision = current.revision;
      return [current.what, current.who.name, current.by_when].filter(Boolean).join(" · ");
    });
    return form;
  }

  /** Submit, cancel, and the choice after a conflict: keep mine (over theirs) or take theirs. */
  function wire(form, key, command, onConflict) {
    const error = form.querySelector("[data-form-error]");
    const conflict = form.querySelector("[data-conflict]");
    const save = form.querySelector("[type=submit]");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      error.hidden = true;
      conflict.hidden = true;
      save.disabled = true;
      const [name, payload] = command();
      socket.emit(name, payload, (ack) => {
        save.disabled = false;
        if (ack?.ok) {
          close(key);
        } else if (ack?.error?.code === "conflict" && ack.error.current) {
          conflict.querySelector("[data-conflict-message]").textContent = ack.error.message;
          conflict.querySelector("[data-theirs]").textContent = onConflict(ack.error.current);
          conflict.hidden = false;
          conflict.querySelector("[data-keep-mine]").focus();
        } else {
          report(ack, form);
        }
      });
    });
    form.querySelector("[data-cancel]").addEventListener("click", () => close(key));
    conflict.querySelector("[data-keep-mine]").addEventListener("click", () => form.requestSubmit());
    conflict.querySelector("[data-use-theirs]").addEventListener("click", () => close(key));
  }

  return { draw, open };
}

/** The offer's place in the plan (every offer is in it as it is made): offered until the
 * family accepts it, then in the plan; nothing once the family has taken it out. */
export function offerTools(state) {
  const actionOf = (contribution) => state().plan.actions.find((a) => a.offer_id === contribution.id);
  return {
    signOf: (c) => actionOf(c)?.status ?? "out",
    decorate(li, contribution) {
      if (contribution.kind !== "offer") return;
      const action = actionOf(contribution);
      if (!action) return;
      const waits = action.status === "offered" || action.status === "proposed";
      li.append(element("span", waits ? t("offer-waiting") : t("offer-in-plan"), "tag tag--done"));
    },
  };
}
