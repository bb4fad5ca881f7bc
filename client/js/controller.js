// Turns taps and typing into store updates and server calls. Views mark their
// controls with data-action / data-change / data-draft; this is the one place
// that listens (event delegation on the document).

import { copyText, download, shareLink } from "./device.js";
import { loadExercises } from "./library.js";
import { errorText } from "./messages.js";
import { tidyCode } from "./route.js";
import * as storage from "./storage.js";
import { picksOf } from "./views/steps/checkin.js";
import { stepCtx } from "./views/exercise.js";
import { planPayload } from "./views/plan.js";

function fieldsOf(el) {
  if (!el.dataset.fields) return {};
  try {
    return JSON.parse(el.dataset.fields);
  } catch {
    return {};
  }
}

const END_TEXT = {
  partner: "This ends the session on both phones and erases everything you wrote in it, for good.",
  moderator: "This ends the session on the couple's phones and erases it from the server for good: their words, your notes and the timeline.",
};

function showDialog(dialog) {
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
}

/** Listen to the page and act for the person using it; `dialogs` are the confirmations ({end, session}). */
export function wire(store, conn, dialogs) {
  const code = () => store.state.view?.code || store.state.seat?.code;
  const dialog = dialogs.end;
  const moderator = () => store.state.seat?.role === "moderator";

  function say(text, tone = "error") {
    store.update({ notice: { text, tone } });
  }

  function go(path, route) {
    try {
      window.history.replaceState(null, "", path);
    } catch {
      // some embedded browsers refuse; the screen is right anyway
    }
    if (route) store.update({ route });
  }

  /** Send an intent; clear the given drafts only once the server has it. */
  async function send(type, fields = {}, drafts = []) {
    store.update({ notice: null });
    const roomCode = code();
    const ack = await conn.intent(type, fields);
    if (ack.ok) {
      for (const key of drafts) storage.clearDraft(roomCode, key);
      store.update({}); // redraw without the sent text
    } else {
      say(errorText(ack.error, { moderator: moderator() }), ack.error?.code === "stale" ? "info" : "error");
    }
    return ack;
  }

  // The plan being put together (ui.plan, and whether the moderator's editor
  // is open) is a draft like any typed text: kept per room while the session
  // is in its lobby, and brought back once after a reload.
  let planRoom = null; // the room whose kept plan was already looked at
  let planHeld = null; // the ui.plan and ui.builder last saved
  store.addEventListener("change", () => {
    const { view, ui } = store.state;
    if (!view) {
      planRoom = null;
      return;
    }
    if (view.session?.phase !== "lobby") {
      // The plan is set and under way: its draft has done its job.
      if (planRoom !== view.code || planHeld) storage.savePlan(view.code, { plan: [], builder: false });
      planRoom = view.code;
      planHeld = null;
      return;
    }
    if (planRoom !== view.code) {
      planRoom = view.code;
      planHeld = { plan: ui.plan, builder: ui.builder };
      const kept = storage.loadPlan(view.code);
      if (kept && !ui.plan.length && !ui.builder) store.ui(kept);
      return;
    }
    if (planHeld && planHeld.plan === ui.plan && planHeld.builder === ui.builder) return;
    planHeld = { plan: ui.plan, builder: ui.builder };
    storage.savePlan(view.code, planHeld);
  });

  function openKey(key, value) {
    store.ui((ui) => ({ open: { ...ui.open, [key]: value } }));
  }

  const actions = {
    dismiss: () => store.update({ notice: null }),

    intent: (el) => send(el.dataset.type, fieldsOf(el)),

    open: (el) => openKey(el.dataset.open, true),

    close: (el) => openKey(el.dataset.open, false),

    builder: () => store.ui({ builder: true }),

    "load-exercises": () => {
      store.update({ exercises: null });
      loadExercises(store);
    },

    "toggle-plan": (el) => {
      const id = el.dataset.exercise;
      store.ui((ui) => ({
        plan: ui.plan.some((p) => p.exercise === id)
          ? ui.plan.filter((p) => p.exercise !== id)
          : [...ui.plan, { exercise: id, options: {} }],
      }));
    },

    propose: async () => {
      const plan = planPayload(store.state.ui.plan, store.state.exercises);
      if (!plan.length) return;
      const ack = await send("propose_plan", { plan });
      if (ack.ok) store.ui({ builder: false });
    },

    copy: async (el) => {
      const field = el.dataset.field || "join-link";
      const ok = await copyText(el.dataset.text, document.getElementById(field));
      if (ok) {
        store.ui({ copied: field });
        setTimeout(() => store.ui({ copied: null }), 2500);
      } else {
        say(el.dataset.failed || "Couldn't copy here. Press and hold the link to copy it.", "info");
      }
    },

    share: (el) => shareLink(el.dataset.text),

    leave: async () => {
      await conn.leave();
      go("/", { kind: "home", code: null, secret: null });
      store.update({ resumable: storage.lastSeat() });
    },

    end: () => {
      // The same question, said to whoever is about to erase the room.
      const moderator = store.state.seat?.role === "moderator";
      dialog.querySelector("#end-text").textContent = moderator ? END_TEXT.moderator : END_TEXT.partner;
      showDialog(dialog);
    },

    "end-cancel": () => dialog.close(),

    "end-confirm": async () => {
      dialog.close();
      const ack = await conn.end();
      if (!ack.ok) say(errorText(ack.error));
      else go("/", { kind: "home", code: null, secret: null });
    },

    home: () => {
      conn.forgetEnded();
      go("/", { kind: "home", code: null, secret: null });
      store.update({ resumable: storage.lastSeat(), notice: null });
    },

    "take-back": () => conn.takeBack(),

    "resume-last": () => {
      const seat = store.state.resumable;
      if (!seat) return;
      go(seat.role === "moderator" ? `/m/${seat.code}` : `/r/${seat.code}`,
        { kind: seat.role === "moderator" ? "moderator" : "join", code: seat.code, secret: null });
      store.update({ resumable: null });
      conn.useSeat(seat);
    },

    "forget-last": () => {
      storage.forgetSeat(store.state.resumable);
      store.update({ resumable: null });
    },

    export: async (el) => {
      store.ui({ busy: "export" });
      const ack = await conn.exportSummary();
      store.ui({ busy: null });
      if (!ack.ok) return say(errorText(ack.error, { moderator: moderator() }));
      const name = `attune-${code() || "session"}${moderator() ? "-record" : ""}`;
      if (el.dataset.format === "md") download(`${name}.md`, ack.markdown, "text/markdown;charset=utf-8");
      else download(`${name}.json`, JSON.stringify(ack.json, null, 2), "application/json");
      return null;
    },

    "dismiss-prompt": (el) => {
      // Kept with the room's drafts: a reload does not bring it back, a new prompt does.
      storage.saveDraft(code(), "prompt.dismissed", el.dataset.at);
      store.update({});
    },

    // --- the moderator's plan: an ordered list, edited here, set with propose_plan

    "plan-add": (el) => store.ui((ui) => ({ plan: [...ui.plan, { exercise: el.dataset.exercise, options: {} }] })),

    "plan-move": (el) => store.ui((ui) => {
      const from = Number(el.dataset.index);
      const to = from + Number(el.dataset.by);
      if (to < 0 || to >= ui.plan.length) return {};
      const plan = [...ui.plan];
      [plan[from], plan[to]] = [plan[to], plan[from]];
      // Focus follows the item it moved (render.js keeps focus by id).
      queueMicrotask(() => document.getElementById(`plan-${to}-${el.dataset.by < 0 ? "up" : "down"}`)?.focus());
      return { plan };
    }),

    "plan-remove": (el) => store.ui((ui) => ({ plan: ui.plan.filter((_, i) => i !== Number(el.dataset.index)) })),

    "plan-edit": () => {
      const plan = store.state.view?.session?.plan || [];
      store.ui({ builder: true, plan: plan.map((p) => ({ exercise: p.exercise, options: { ...(p.options || {}) } })) });
    },

    "plan-cancel": () => store.ui({ builder: false, plan: [] }),

    "plan-set": async () => {
      const plan = planPayload(store.state.ui.plan, store.state.exercises);
      if (!plan.length) return;
      const ack = await send("propose_plan", { plan });
      if (ack.ok) store.ui({ builder: false, plan: [] });
    },

    "end-session": () => showDialog(dialogs.session),

    "end-session-cancel": () => dialogs.session.close(),

    "end-session-confirm": () => {
      dialogs.session.close();
      send("end_session");
    },

    family: (el) => {
      const key = el.dataset.key;
      store.ui((ui) => ({ family: { ...ui.family, [key]: ui.family[key] === el.dataset.family ? null : el.dataset.family } }));
    },

    feeling: (el) => {
      const ctx = stepCtx(store.state);
      const picks = picksOf(ctx);
      const id = el.dataset.id;
      const max = Number(el.dataset.max) || 5;
      let next;
      if (picks.some((p) => p.id === id)) next = picks.filter((p) => p.id !== id);
      else if (picks.length < max) next = [...picks, { id, intensity: 3 }];
      else return say(`You can pick up to ${max}. Remove one first.`, "info");
      storage.saveDraft(code(), `${el.dataset.key}.checkin.picks`, JSON.stringify(next));
      store.update({});
      return null;
    },

    intensity: (el) => {
      const ctx = stepCtx(store.state);
      const next = picksOf(ctx).map((p) => (p.id === el.dataset.id ? { ...p, intensity: Number(el.dataset.value) } : p));
      storage.saveDraft(code(), `${el.dataset.key}.checkin.picks`, JSON.stringify(next));
      store.update({});
    },

    checkin: (el) => {
      const key = el.dataset.key;
      const ctx = stepCtx(store.state);
      const feelings = picksOf(ctx);
      if (!feelings.length) return say("Pick at least one word first.", "info");
      const noteField = document.querySelector(`[data-draft="${key}.checkin.note"]`);
      const note = noteField ? noteField.value.trim() : "";
      const fields = { feelings };
      if (note) fields.note = note;
      return send("checkin", fields, [`${key}.checkin.picks`, `${key}.checkin.note`]);
    },
  };

  const forms = {
    send: (form) => {
      const text = form.elements.text ? form.elements.text.value : "";
      const fields = { ...fieldsOf(form) };
      if (text.trim()) fields.text = text.trim();
      return send(form.dataset.type, fields, form.dataset.draft ? [form.dataset.draft] : []);
    },

    create: async (form) => {
      const name = form.elements.name.value.trim();
      const mode = form.elements.mode.value || "same_room";
      if (!name) return say(errorText({ code: "invalid_name" }));
      store.ui({ busy: "create" });
      const ack = await conn.createRoom(name);
      store.ui({ busy: null });
      if (!ack.ok) return say(errorText(ack.error));
      storage.clearDrafts("home");
      go(`/r/${ack.code}`, { kind: "join", code: ack.code, secret: null });
      if (mode === "remote") await send("set_mode", { mode });
      return null;
    },

    join: async (form) => {
      const name = form.elements.name.value.trim();
      const roomCode = tidyCode(form.elements.code.value);
      if (!name) return say(errorText({ code: "invalid_name" }));
      if (roomCode.length !== 6) return say("A code has six letters and numbers, like K7M 2QX.");
      store.ui({ busy: "join" });
      const ack = await conn.joinRoom({ code: roomCode, name });
      store.ui({ busy: null });
      if (!ack.ok) return say(errorText(ack.error));
      storage.clearDrafts("home");
      go(`/r/${ack.code}`, { kind: "join", code: ack.code, secret: null });
      return null;
    },

    guide: async (form) => {
      const name = form.elements.name.value.trim();
      if (!name) return say(errorText({ code: "invalid_name" }));
      store.ui({ busy: "guide" });
      const ack = await conn.createRoom(name, "moderator");
      store.ui({ busy: null });
      if (!ack.ok) return say(errorText(ack.error));
      storage.clearDrafts("home");
      go(`/m/${ack.code}`, { kind: "moderator", code: ack.code, secret: null });
      return null;
    },

    "moderator-join": async (form) => {
      const name = form.elements.name.value.trim();
      const route = store.state.route;
      if (!name) return say(errorText({ code: "invalid_name" }));
      store.ui({ busy: "join" });
      const ack = await conn.joinRoom({ code: route.code, name, secret: route.secret });
      store.ui({ busy: null });
      if (!ack.ok) {
        return say(ack.error?.code === "forbidden" ? "That moderator link isn't valid for this session." : errorText(ack.error));
      }
      storage.clearDrafts("home");
      // The secret has done its job; keep it out of the address bar and history.
      go(`/m/${ack.code}`, { kind: "moderator", code: ack.code, secret: null });
      return null;
    },
  };

  const changes = {
    "home-mode": (el) => store.ui({ mode: el.value }),

    "set-mode": (el) => send("set_mode", { mode: el.value }),

    "prompt-kind": (el) => store.ui({ promptKind: el.value }),

    "plan-item-option": (el) => {
      const at = Number(el.dataset.index);
      const { option } = el.dataset;
      store.ui((ui) => ({
        plan: ui.plan.map((p, i) => {
          if (i !== at) return p;
          const options = { ...p.options };
          if (el.value) options[option] = Number(el.value);
          else delete options[option];
          return { ...p, options };
        }),
      }));
    },

    "plan-option": (el) => {
      const { exercise, option } = el.dataset;
      store.ui((ui) => ({
        plan: ui.plan.map((p) => {
          if (p.exercise !== exercise) return p;
          const options = { ...p.options };
          if (el.value) options[option] = Number(el.value);
          else delete options[option];
          return { ...p, options };
        }),
      }));
    },
  };

  document.addEventListener("click", (event) => {
    const el = event.target.closest("[data-action]");
    if (!el || el.tagName === "FORM" || el.disabled) return;
    const act = actions[el.dataset.action];
    if (!act) return;
    event.preventDefault();
    act(el);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-action]");
    if (!form) return;
    event.preventDefault();
    forms[form.dataset.action]?.(form);
  });

  document.addEventListener("input", (event) => {
    const el = event.target;
    const scope = el.dataset?.scope || code();
    if (el.dataset?.draft && scope) storage.saveDraft(scope, el.dataset.draft, el.value);
  });

  document.addEventListener("change", (event) => {
    const el = event.target;
    if (el.dataset?.change) changes[el.dataset.change]?.(el);
  });

  // <details> open state lives in the store so a redraw keeps it open.
  document.addEventListener("toggle", (event) => {
    const el = event.target;
    if (el.tagName === "DETAILS" && el.dataset.open && Boolean(store.state.ui.open?.[el.dataset.open]) !== el.open) {
      openKey(el.dataset.open, el.open);
    }
  }, true);

  document.addEventListener("focusin", (event) => {
    if (event.target.dataset?.selectAll) event.target.select();
  });
}
