// Taps every screen shares: intents with fixed fields, typed turns, notices,
// open/close boxes, copy and share a link, leave, end and erase, export.
// Each action is (el, api); `api` is the controller's (see controller.js).

import { copyText, download, shareLink } from "../device.js";
import { errorText } from "../messages.js";
import * as storage from "../storage.js";

const HOME = { kind: "home", code: null, secret: null };

// Each says exactly what goes and what stays (a guided room's partner never sees "end": see views/common.js wayOut).
const END_TEXT = {
  partner: "This ends the session on both phones and erases all of it for good: everything either of you wrote and the summary. Nothing is kept on the server; each phone remembers only which exercises and cards you did, and when, and the promises you each chose to keep on your own phone for your next check-in, until you tap Forget our history.",
  moderator: "This ends the session on the couple's phones and erases it from the server for good: their words, your notes and the timeline. Nothing is kept; export your record first if you need it.",
};

function fieldsOf(el) {
  if (!el.dataset.fields) return {};
  try {
    return JSON.parse(el.dataset.fields);
  } catch {
    return {};
  }
}

function showDialog(dialog) {
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
}

export const click = {
  dismiss: (el, api) => api.store.update({ notice: null }),

  intent: (el, api) => api.send(el.dataset.type, fieldsOf(el)),

  open: (el, api) => api.openKey(el.dataset.open, true),

  close: (el, api) => api.openKey(el.dataset.open, false),

  copy: async (el, api) => {
    const field = el.dataset.field || "join-link";
    const ok = await copyText(el.dataset.text, document.getElementById(field));
    if (ok) {
      api.store.ui({ copied: field });
      setTimeout(() => api.store.ui({ copied: null }), 2500);
    } else {
      api.say(el.dataset.failed || "Couldn't copy here. Press and hold the link to copy it.", "info");
    }
  },

  share: (el) => shareLink(el.dataset.text),

  leave: async (el, api) => {
    await api.conn.leave();
    api.go("/", HOME);
    api.store.update({ resumable: storage.lastSeat() });
    api.say("You've left for now. Your seat and your words are kept: Continue brings you back.", "info");
  },

  // A cool-down of the minutes picked (a partner's time-out, or the moderator's pause for both).
  cooldown: (el, api) => {
    api.openKey("cooldown", false);
    return api.send(el.dataset.type, { cooldown: Number(el.dataset.minutes) });
  },

  end: (el, api) => {
    // The same question, said to whoever is about to erase the room.
    const dialog = api.dialogs.end;
    dialog.querySelector("#end-text").textContent = api.moderator() ? END_TEXT.moderator : END_TEXT.partner;
    showDialog(dialog);
  },

  "end-cancel": (el, api) => api.dialogs.end.close(),

  "end-confirm": async (el, api) => {
    api.dialogs.end.close();
    const ack = await api.conn.end();
    if (!ack.ok) api.say(errorText(ack.error));
    else api.go("/", HOME);
  },

  // A partner in a guided room: leave (nothing erased), or erase only their own words.
  "leave-ask": (el, api) => showDialog(api.dialogs.leave),

  "leave-cancel": (el, api) => api.dialogs.leave.close(),

  "leave-confirm": (el, api) => {
    api.dialogs.leave.close();
    return click.leave(el, api);
  },

  "erase-ask": (el, api) => showDialog(api.dialogs.erase),

  "erase-cancel": (el, api) => api.dialogs.erase.close(),

  "erase-confirm": async (el, api) => {
    api.dialogs.erase.close();
    const ack = await api.send("erase_my_words");
    if (ack.ok) api.say("Your words in this session are erased. Your partner's words and your therapist's notes stay.", "info");
  },

  home: (el, api) => {
    api.conn.forgetEnded();
    api.go("/", HOME);
    api.store.update({ resumable: storage.lastSeat(), notice: null });
  },

  "take-back": (el, api) => api.conn.takeBack(),

  export: async (el, api) => {
    api.store.ui({ busy: "export" });
    const ack = await api.conn.exportSummary();
    api.store.ui({ busy: null });
    const moderator = api.moderator();
    if (!ack.ok) return api.say(errorText(ack.error, { moderator }));
    const name = `attune-${api.code() || "session"}${moderator ? "-record" : ""}`;
    if (el.dataset.format === "md") download(`${name}.md`, ack.markdown, "text/markdown;charset=utf-8");
    else download(`${name}.json`, JSON.stringify(ack.json, null, 2), "application/json");
    return null;
  },

  "dismiss-prompt": (el, api) => {
    // Kept with the room's drafts: a reload does not bring it back, a new prompt does.
    storage.saveDraft(api.code(), "prompt.dismissed", el.dataset.at);
    api.store.update({});
  },

  "end-session": (el, api) => showDialog(api.dialogs.session),

  "end-session-cancel": (el, api) => api.dialogs.session.close(),

  "end-session-confirm": (el, api) => {
    api.dialogs.session.close();
    api.send("end_session");
  },
};

export const submit = {
  /** A typed turn (or a prompt, a note): its text and fixed fields; its draft goes once the server has it. */
  send: (form, api) => {
    const text = form.elements.text ? form.elements.text.value : "";
    const fields = { ...fieldsOf(form) };
    if (text.trim()) fields.text = text.trim();
    // A guessing card's form saves the guess with the answer.
    if (form.elements.guess && form.elements.guess.value.trim()) fields.guess = form.elements.guess.value.trim();
    const drafts = [form.dataset.draft, form.dataset.draftGuess].filter(Boolean);
    return api.send(form.dataset.type, fields, drafts);
  },
};

export const change = {
  "set-mode": (el, api) => api.send("set_mode", { mode: el.value }),

  "prompt-kind": (el, api) => api.store.ui({ promptKind: el.value }),
};
