// Taking a seat: the four seat forms (start, join with a code, guide, join as
// moderator with the link's secret) and continuing or forgetting a seat kept
// on this phone. Each action is (el, api); `api` is the controller's.

import { errorText } from "../messages.js";
import { CODE_LENGTHS, pathFor, tidyCode } from "../route.js";
import * as storage from "../storage.js";
import { errorId } from "../views/common.js";

/**
 * What differs between the seat forms. `check(form)` -> a sentence when the form can't go yet;
 * `call(conn, name, form, state)` -> the ack; `kind` the page it leads to; `errors` own words
 * by error code; `after(api, form)` what follows a seat taken (read before the call);
 * `fields` the id of each field an error can be about ("name", "code").
 */
const SEAT_FORMS = {
  create: {
    busy: "create", kind: "join", fields: { name: "start-name" },
    call: (conn, name) => conn.createRoom(name),
    after: (form) => {
      const mode = form.elements.mode.value || "same_room";
      return (api) => (mode === "remote" ? api.send("set_mode", { mode }) : null);
    },
  },
  join: {
    busy: "join", kind: "join", fields: { name: "join-name", code: "join-code" },
    check: (form) => (CODE_LENGTHS.includes(tidyCode(form.elements.code.value).length) ? null
      : "A code has six letters and numbers, like K7M 2QX (ten if your therapist sent it)."),
    call: (conn, name, form) => conn.joinRoom({ code: tidyCode(form.elements.code.value), name }),
  },
  guide: {
    busy: "guide", kind: "moderator", fields: { name: "guide-name" },
    call: (conn, name) => conn.createRoom(name, "moderator"),
  },
  "moderator-join": {
    busy: "join", kind: "moderator", fields: { name: "mod-name" },
    call: (conn, name, form, state) => conn.joinRoom({ code: state.route.code, name, secret: state.route.secret }),
    errors: { forbidden: "That moderator link isn't valid for this session." },
  },
};

// Which field a refusal is about: the person's eyes and focus go there, not to the top of the page.
const FIELD_OF = { invalid_name: "name", not_found: "code", room_full: "code" };

/**
 * Say `text` right under the field it is about (or under the form's button) and move focus there,
 * so someone looking at the Join button sees it and a screen reader reads it with the field.
 */
function formError(api, action, how, field, text) {
  const id = field && how.fields?.[field];
  const on = id ? field : null;
  api.store.update({ notice: null });
  api.store.ui({ formError: { form: action, field: on, text } });
  // The redraw is a microtask away; it keeps the focus where it is put now (render.js).
  queueMicrotask(() => {
    const target = document.getElementById(on ? id : errorId(action, null));
    target?.focus();
  });
}

async function seatForm(form, api, how, action) {
  const name = form.elements.name.value.trim();
  if (!name) return formError(api, action, how, "name", errorText({ code: "invalid_name" }));
  const why = how.check?.(form);
  if (why) return formError(api, action, how, "code", why);
  const after = how.after?.(form);
  api.store.ui({ busy: how.busy, formError: null });
  const ack = await how.call(api.conn, name, form, api.store.state);
  api.store.ui({ busy: null });
  if (!ack.ok) {
    const code = ack.error?.code;
    return formError(api, action, how, FIELD_OF[code] || null, how.errors?.[code] || errorText(ack.error));
  }
  // The next time this phone is on the home screen (after leaving), it starts from the usual tab.
  api.store.ui({ formError: null, homeTab: null });
  storage.clearDrafts("home");
  // A moderator link's secret has done its job; keep it out of the address bar and history.
  api.go(pathFor(how.kind, ack.code), { kind: how.kind, code: ack.code, secret: null });
  if (after) await after(api);
  return null;
}

export const submit = Object.fromEntries(Object.entries(SEAT_FORMS)
  .map(([action, how]) => [action, (form, api) => seatForm(form, api, how, action)]));

export const click = {
  "resume-last": (el, api) => {
    const seat = api.store.state.resumable;
    if (!seat) return;
    const kind = seat.role === "moderator" ? "moderator" : "join";
    api.go(pathFor(kind, seat.code), { kind, code: seat.code, secret: null });
    api.store.update({ resumable: null });
    api.conn.useSeat(seat);
  },

  "home-tab": (el, api) => api.store.ui({ homeTab: el.dataset.tab, formError: null }),

  "forget-last": (el, api) => {
    storage.forgetSeat(api.store.state.resumable);
    api.store.update({ resumable: null });
  },
};

export const change = {
  "home-mode": (el, api) => api.store.ui({ mode: el.value }),
};
