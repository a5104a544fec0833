// The end of the plan, drawn the same way on every view: what happens if the plan does not
// work, who checks it is happening, the review date, the core group (where the format has one:
// who, when it meets, how often), at a review the decision, and the referrer's agreement. The family and the chairs ("edit") change the terms; the referrer
// agrees or says why not from their phone, and a chair can record it for them. The server
// decides whether an agreement still holds: a change to the plan asks the referrer again.
import { button, clock, day, fromTemplate, names } from "./dom.js";
import { element, text } from "./meeting.js";

const t = (key) => text("closing-text", key);


/** `shows(stage.does)`: where it shows before anything is written (the room screen keeps it for
 * the agreement and the check-out). */
export function createClosing(root, { mode, socket, shows = (does) => does.terms }) {
  let state = null;
  let termsForm = null;
  let respondForm = null;
  const terms = element("section", "", "closing");
  const agreement = element("div", "", "agreement");
  agreement.setAttribute("aria-live", "polite");
  root.replaceChildren(terms, agreement);

  function draw(next) {
    state = next;
    if (!state.meeting) return;
    // The end of the plan matters once the plan is being written, or once anything is in it.
    const stage = state.meeting.stages[state.meeting.current_position];
    const { terms: written, agreement: answered } = state.plan;
    // A review's terms come carried from the meeting before: shown from the start.
    const carried = Boolean(written.contingency || written.monitor || written.core_group.length);
    root.hidden = !(
      Boolean(stage && shows(stage.does)) ||
      written.revision > 0 ||
      carried ||
      answered.responses.length > 0
    );
    if (root.hidden) return;
    drawTerms();
    drawAgreement();
  }

  function drawTerms() {
    if (termsForm) return; // someone is typing: leave the form alone
    const current = state.plan.terms;
    const review = state.meeting.is_review;
    const facts = element("dl", "", "closing__facts");
    const fact = (label, value) => {
      const row = element("div");
      row.append(element("dt", label), element("dd", value || t("not-set")));
      facts.append(row);
    };
    fact(t("contingency"), current.contingency);
    fact(t("monitor"), current.monitor);
    fact(t("review-on"), current.review_on ? day(current.review_on) : "");
    if (state.meeting.core_group) {
      fact(t("core-group"), names(current.core_group.map((member) => member.name)));
      fact(t(review ? "core-group-next" : "core-group-first"), meets(current));
    }
    if (review) fact(t("decision"), current.decision ? `${t(`decision-${current.decision}`)}${current.decision_why ? `: ${current.decision_why}` : ""}` : "");
    if (review && current.decision_on) fact(t("decision-on"), day(current.decision_on));
    const children = [element("h3", t("terms-title")), facts];
    if (mode === "edit") children.push(button(t("change-terms"), "button button--small button--secondary", openTerms));
    terms.replaceChildren(...children);
  }

  /** "Tuesday 12 January 2027, then every 6 weeks". */
  function meets(current) {
    const weeks = current.core_group_every_weeks;
    const often = weeks ? t(weeks === 1 ? "every-week" : "every-weeks").replace("{weeks}", weeks) : "";
    if (!current.core_group_meets_on && !often) return "";
    const when = current.core_group_meets_on ? day(current.core_group_meets_on) : t("not-set");
    return often ? t("then").replace("{when}", when).replace("{often}", often) : when;
  }

  /** Everyone let in, and anyone already in the core group (a review's people need not have joined). */
  function coreGroupChoices(form, current) {
    const chosen = new Set(current.core_group.map((member) => member.participant_id));
    const people = state.people.filter((p) => p.admission === "admitted").map((p) => ({ id: p.id, name: p.relation ? `${p.name} (${p.relation})` : p.name }));
    for (const member of current.core_group) {
      if (!people.some((p) => p.id === member.participant_id)) people.push({ id: member.participant_id, name: member.name });
    }
    const list = form.querySelector("[data-core-group-people]");
    list.replaceChildren(...people.map((person) => {
      const row = element("div", "", "choice");
      const input = document.createElement("input");
      input.className = "choice__input";
      input.type = "checkbox";
      input.name = "core_group";
      input.value = String(person.id);
      input.id = `core-group-${person.id}`;
      input.checked = chosen.has(person.id);
      const label = element("label", person.name, "choice__label");
      label.htmlFor = input.id;
      row.append(input, label);
      return row;
    }));
    form.querySelector("[data-core-group-nobody]").hidden = people.length > 0;
  }

  function openTerms() {
    const form = fromTemplate("terms-form");
    const current = state.plan.terms;
    let revision = current.revision;
    form.elements.contingency.value = current.contingency;
    form.elements.monitor.value = current.monitor;
    form.elements.review_on.value = current.review_on ?? "";
    const decision = form.querySelector("[data-decision]");
    decision.hidden = !state.meeting.is_review;
    for (const input of form.querySelectorAll("[name=decision]")) input.checked = input.value === (current.decision ?? "");
    form.elements.decision_why.value = current.decision_why;
    const coreGroup = form.querySelector("[data-core-group]");
    coreGroup.hidden = !state.meeting.core_group;
    if (state.meeting.core_group) {
      coreGroupChoices(form, current);
      const label = form.querySelector("[data-core-group-when]");
      if (state.meeting.is_review) label.textContent = label.dataset.reviewLabel;
      form.elements.core_group_meets_on.value = current.core_group_meets_on ?? "";
      form.elements.core_group_every_weeks.value = current.core_group_every_weeks ?? "";
    }
    // A step-down or an end takes effect on a day: asked only for those.
    const decisionOn = form.querySelector("[data-decision-on]");
    const decided = () => form.querySelector("[name=decision]:checked")?.value;
    const dated = () => ["step_down", "end"].includes(decided());
    // A plan that ends has no other meeting: the review date is put aside while "end" is chosen.
    const ends = () => decided() === "end";
    const showDecisionOn = () => {
      decisionOn.hidden = !dated();
      form.elements.review_on.disabled = ends();
      form.querySelector("[data-review-ends]").hidden = !ends();
    };
    form.elements.decision_on.value = current.decision_on ?? "";
    for (const input of form.querySelectorAll("[name=decision]")) input.addEventListener("change", showDecisionOn);
    showDecisionOn();
    const error = form.querySelector("[data-form-error]");
    const conflict = form.querySelector("[data-conflict]");
    const close = () => {
      termsForm = null;
      drawTerms();
      terms.querySelector("button")?.focus();
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      error.hidden = true;
      conflict.hidden = true;
      const payload = {
        revision,
        contingency: form.elements.contingency.value,
        monitor: form.elements.monitor.value,
        review_on: ends() ? null : form.elements.review_on.value || null,
      };
      if (state.meeting.core_group) {
        payload.core_group = [...form.querySelectorAll("[name=core_group]:checked")].map((input) => Number(input.value));
        payload.core_group_meets_on = form.elements.core_group_meets_on.value || null;
        const weeks = form.elements.core_group_every_weeks.value.trim();
        payload.core_group_every_weeks = weeks === "" ? null : Number(weeks);
      }
      if (state.meeting.is_review) {
        payload.decision = decided() || null;
        payload.decision_on = dated() ? form.elements.decision_on.value || null : null;
        payload.decision_why = form.elements.decision_why.value;
      }
      socket.emit("save_terms", payload, (ack) => {
        if (ack?.ok) return close();
        if (ack?.error?.code === "conflict" && ack.error.current) {
          revision = ack.error.current.revision;
          conflict.querySelector("[data-conflict-message]").textContent = ack.error.message;
          const theirs = ack.error.current;
          const group = (theirs.core_group ?? []).map((member) => member.name);
          conflict.querySelector("[data-theirs]").textContent = [theirs.contingency, theirs.monitor, theirs.review_on, names(group), theirs.core_group_meets_on].filter(Boolean).join(" · ");
          conflict.hidden = false;
          conflict.querySelector("[data-keep-mine]").focus();
          return;
        }
        error.textContent = ack?.error?.message ?? t("not-saved");
        error.hidden = false;
      });
    });
    form.querySelector("[data-cancel]").addEventListener("click", close);
    conflict.querySelector("[data-keep-mine]").addEventListener("click", () => form.requestSubmit());
    conflict.querySelector("[data-use-theirs]").addEventListener("click", close);
    termsForm = form;
    terms.replaceChildren(form);
    form.elements.contingency.focus();
  }

  function referrers() {
    return state.people.filter((p) => p.flags.includes("is_referrer") && ["admitted", "expected"].includes(p.admission));
  }

  function status() {
    const { agreed, responses } = state.plan.agreement;
    const latest = responses.at(-1);
    if (agreed) return [t("agreed").replaceAll("{name}", agreed.name).replace("{time}", clock(agreed.at)), true];
    if (latest && latest.current) return [t("declined").replaceAll("{name}", latest.name), false];
    if (latest) return [t("asked-again").replaceAll("{name}", latest.name), false];
    const names = [...new Set(referrers().map((p) => p.name))].join(", ");
    return [names ? t("waiting").replaceAll("{name}", names) : t("no-referrer"), false];
  }

  function drawAgreement() {
    const { responses } = state.plan.agreement;
    const [line, agreed] = status();
    agreement.classList.toggle("agreement--agreed", agreed);
    const children = [element("h3", t("agreement-title")), element("p", line, "agreement__status")];
    const list = element("ul", "", "agreement__responses");
    for (const response of responses) {
      const words = response.agreed ? t("said-agreed") : t("said-declined");
      const item = element("li", `${clock(response.at)} · ${response.name}: ${words}${response.reasons ? ` “${response.reasons}”` : ""}`);
      if (!response.current) item.className = "agreement__old";
      list.append(item);
    }
    if (responses.length) children.push(list);
    const stage = state.meeting.stages[state.meeting.current_position];
    const you = state.you;
    const asking = Boolean(stage?.does.agreement) && state.meeting.status === "live" && !state.privateTime;
    const mayAnswer = you ? Boolean(state.can.respond_to_plan) : mode === "edit" && referrers().length > 0;
    if (asking && mayAnswer && !agreed) children.push(respondForm ?? openRespond());
    if (!asking || agreed) respondForm = null;
    agreement.replaceChildren(...children);
  }

  function openRespond() {
    const form = fromTemplate("respond-form");
    const who = form.querySelector("[data-respond-who]");
    const select = form.elements.participant_id;
    if (state.you) {
      who.remove();
    } else {
      // A chair records the referrer's answer: the buttons speak of them, not of the chair.
      select.replaceChildren(...referrers().map((p) => new Option(p.name, String(p.id))));
      for (const choice of form.querySelectorAll("[data-chair-label]")) choice.textContent = choice.dataset.chairLabel;
    }
    const reasonsRow = form.querySelector("[data-reasons]");
    const error = form.querySelector("[data-form-error]");
    const send = (agreed) => {
      error.hidden = true;
      const payload = { agreed, reasons: agreed ? "" : form.elements.reasons.value };
      if (!state.you) payload.participant_id = Number(select.value);
      socket.emit("respond_to_plan", payload, (ack) => {
        if (ack?.ok) {
          form.elements.reasons.value = "";
          reasonsRow.hidden = true;
          return;
        }
        error.textContent = ack?.error?.message ?? t("not-saved");
        error.hidden = false;
      });
    };
    form.querySelector("[data-agree]").addEventListener("click", () => send(true));
    form.querySelector("[data-cannot]").addEventListener("click", () => {
      reasonsRow.hidden = false;
      form.elements.reasons.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(false);
    });
    respondForm = form;
    return form;
  }

  return { draw };
}
