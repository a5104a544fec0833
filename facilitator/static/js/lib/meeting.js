// Following a meeting live, the same way on every view: connect, `sync` for a
// snapshot, then apply events in version order; a gap in versions means an
// event was missed, so sync again. The server is the only source of truth.
import { connect } from "./live.js";

const EMPTY_PLAN = Object.freeze({
  outcomes: [],
  actions: [],
  notes: [],
  terms: {
    contingency: "", monitor: "", review_on: null, core_group: [], core_group_meets_on: null,
    core_group_every_weeks: null, decision: null, decision_on: null, decision_why: "", revision: 0,
  },
  agreement: { agreed: null, responses: [] },
});

export function followMeeting({ auth, onState = () => {}, render = () => {}, onEvent = () => {} }) {
  const state = {
    version: -1,
    meeting: null,
    people: [],
    contributions: [],
    plan: EMPTY_PLAN,
    // Kept items (own spaces, the child's houses) and a mediation's terms, as this viewer may read them.
    items: [],
    terms: [],
    privateTime: null,
    shutOut: false,
    you: null,
    // What this viewer may do (`access.capabilities`): the page offers what this says.
    can: {},
    clockOffset: 0,
  };
  let syncing = false;

  // Coming back after a dropped connection or a restart, the page names the version it has as it
  // connects: the server sends what was missed, then `hello` says the page is caught up. Only
  // when it cannot (the log does not reach back, or this view is drawn whole) does the page sync.
  let caughtUp = false;
  const socket = connect({
    auth: (send) => send(state.meeting !== null && state.version >= 0 ? { ...auth, since: state.version } : auth),
    onState,
    onHello(hello) {
      state.clockOffset = hello.server_time - Date.now();
      caughtUp = typeof hello.caught_up === "number" && hello.caught_up >= state.version && state.meeting !== null;
      if (caughtUp) state.version = hello.caught_up;
    },
  });

  let again = false;
  function sync() {
    if (syncing) {
      again = true; // the snapshot on its way may be older than what made us ask
      return;
    }
    syncing = true;
    socket.emit("sync", {}, (ack) => {
      syncing = false;
      if (again) {
        again = false;
        sync();
        return;
      }
      if (ack?.ok && ack.snapshot) take(ack.snapshot);
      else if (ack?.ok) sync();
    });
  }

  // A snapshot replaces everything this page knew; one sent with an event leaves out `you`.
  function take(snapshot) {
    // Live pages are drawn for an open meeting. One that closed while this page was away (the news
    // came before the connection, or too long ago for the log) is drawn again, as the summary.
    if (snapshot.meeting.status === "closed") {
      window.location.reload();
      return;
    }
    Object.assign(state, {
      version: snapshot.version,
      meeting: snapshot.meeting.stages ? snapshot.meeting : null,
      people: snapshot.people ?? [],
      contributions: snapshot.contributions ?? [],
      plan: snapshot.plan ?? EMPTY_PLAN,
      items: snapshot.items ?? [],
      terms: snapshot.terms ?? [],
      privateTime: snapshot.meeting.private_time ?? null,
      // Private family time shuts this viewer out: the snapshot says it is on, and nothing more.
      shutOut: Boolean(snapshot.meeting.private_time) && !snapshot.meeting.stages,
      you: snapshot.you ?? state.you,
      can: snapshot.can ?? state.can,
    });
    render(state);
  }

  // Apply an event if it is the next one (or carries no change); sync on a gap.
  function handle(name, apply) {
    socket.on(name, (event) => {
      if (event.version > state.version + 1 || state.meeting === null) {
        sync();
        return;
      }
      if (event.version < state.version) return;
      state.version = event.version;
      apply(event);
      render(state);
      onEvent(name, event);
    });
  }

  handle("meeting_changed", (event) => {
    state.meeting = event.meeting;
    state.privateTime = event.meeting.private_time;
  });
  handle("people_changed", (event) => { state.people = event.people; });
  handle("presence_changed", (event) => {
    const now = new Map(event.people.map((p) => [p.id, p.presence]));
    state.people = state.people.map((p) => (now.has(p.id) ? { ...p, presence: now.get(p.id) } : p));
  });
  handle("contribution_added", (event) => {
    replaceStage(event.stage);
    if (!state.contributions.some((item) => item.id === event.contribution.id)) {
      state.contributions.push(event.contribution);
    }
  });
  handle("round_changed", (event) => {
    replaceStage(event.stage);
    state.contributions = [...state.contributions.filter((c) => c.stage_id !== event.stage.id), ...event.contributions];
  });
  handle("outcome_saved", (event) => { state.plan.outcomes = upsert(state.plan.outcomes, event.outcome); });
  handle("outcome_removed", (event) => {
    state.plan.outcomes = state.plan.outcomes.filter((item) => item.id !== event.id);
    for (const action of state.plan.actions) if (action.outcome_id === event.id) action.outcome_id = null;
  });
  handle("action_saved", (event) => { state.plan.actions = upsert(state.plan.actions, event.action); });
  handle("action_removed", (event) => {
    state.plan.actions = state.plan.actions.filter((item) => item.id !== event.id);
  });
  handle("note_saved", (event) => { state.plan.notes = upsert(state.plan.notes, event.note); });
  handle("note_removed", (event) => {
    state.plan.notes = state.plan.notes.filter((item) => item.id !== event.id);
  });
  handle("terms_saved", (event) => { state.plan.terms = event.terms; });
  handle("agreement_changed", (event) => { state.plan.agreement = event.agreement; });
  handle("item_saved", (event) => { state.items = upsert(state.items, event.item); });
  handle("item_removed", (event) => { state.items = state.items.filter((item) => item.id !== event.id); });
  handle("term_saved", (event) => { state.terms = upsert(state.terms, event.term); });
  handle("term_removed", (event) => { state.terms = state.terms.filter((item) => item.id !== event.id); });
  // A change that was for others (a party's own words, one person's news): its version alone.
  handle("tick", () => {});
  // A closed meeting is read-only: every view is drawn again by the server, as the summary.
  socket.on("meeting_closed", () => window.location.reload());
  // Who sees what changes with private family time: the room screen, the professionals and
  // the chairs are sent their new view with the news. The family sees the same meeting either
  // way, so theirs is the news alone: a phone that is up to date takes it, one behind asks.
  socket.on("private_time_changed", (event) => {
    onEvent("private_time_changed", event);
    if (event.snapshot) {
      // A phone that connected while shut out has not had its own scores yet: it asks.
      if (event.snapshot.plan && state.you && !state.you.scores) sync();
      else if (event.version >= state.version) take(event.snapshot);
      return;
    }
    if (state.meeting !== null && event.version === state.version + 1) {
      state.version = event.version;
      state.privateTime = event.private_time;
      state.meeting.private_time = event.private_time;
      render(state);
      return;
    }
    sync();
  });

  function replaceStage(stage) {
    if (!stage || !state.meeting) return;
    state.meeting.stages = state.meeting.stages.map((item) => (item.id === stage.id ? stage : item));
  }
  // Who this viewer is has changed (their side, their flags, the family's welcome): ask again.
  socket.on("identity_changed", (event) => {
    onEvent("identity_changed", event);
    sync();
  });
  // Taken off the meeting's list: the server has ended this connection; the page says so.
  socket.on("removed", () => window.location.reload());
  socket.on("connect", () => {
    if (!caughtUp) sync();
    caughtUp = false;
  });

  return { socket, state, sync };
}

/** Seconds left on the stage timer, by the server's clock; null when there is none. */
export function secondsLeft(state) {
  const timer = state.meeting?.timer;
  if (!timer) return null;
  if (timer.ends_at !== null) {
    return Math.max(0, Math.round((timer.ends_at - (Date.now() + state.clockOffset)) / 1000));
  }
  return timer.remaining;
}

export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A translated text from a <template id=...> of the page, by key. */
export function text(templateId, key) {
  const template = document.getElementById(templateId);
  return template?.content.querySelector(`[data-key="${key}"]`)?.textContent ?? key;
}

/** An element with text in it (never HTML: what people type is shown as typed). */
export function element(tag, content = "", className = "") {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

/** "Stage 2 of 7", from the page's own translated pattern. */
export function stageNumber(state, templateId) {
  const stage = currentStage(state);
  if (!stage) return "";
  return text(templateId, "stage-of").replace("{n}", stage.position + 1).replace("{total}", state.meeting.stages.length);
}

/** The list with `item` added, or put in place of the one with its id; in id order. */
export function upsert(list, item) {
  return [...list.filter((other) => other.id !== item.id), item].sort((a, b) => a.id - b.id);
}

/** A person's name, by id, from who is in the meeting. */
export function nameOf(state, personId) {
  return state.people.find((p) => p.id === personId)?.name ?? "";
}

export function currentStage(state) {
  const meeting = state.meeting;
  if (!meeting || meeting.current_position === null) return null;
  return meeting.stages[meeting.current_position] ?? null;
}
