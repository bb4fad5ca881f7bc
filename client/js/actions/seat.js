// Taking a seat: the four seat forms (start, join with a code, guide, join as
// moderator with the link's secret) and continuing or forgetting a seat kept
// on this phone. Each action is (el, api); `api` is the controller's.

import { errorText } from "../messages.js";
import { CODE_LENGTHS, pathFor, tidyCode } from "../route.js";
import * as storage from "../storage.js";

/**
 * What differs between the seat forms. `check(form)` -> a sentence when the form can't go yet;
 * `call(conn, name, form, state)` -> the ack; `kind` the page it leads to; `errors` own words
 * by error code; `after(api, form)` what follows a seat taken (read before the call).
 */
const SEAT_FORMS = {
  create: {
    busy: "create", kind: "join",
    call: (conn, name) => conn.createRoom(name),
    after: (form) => {
      const mode = form.elements.mode.value || "same_room";
      return (api) => (mode === "remote" ? api.send("set_mode", { mode }) : null);
    },
  },
  join: {
    busy: "join", kind: "join",
    check: (form) => (CODE_LENGTHS.includes(tidyCode(form.elements.code.value).length) ? null
      : "A code has six letters and numbers, like K7M 2QX (ten if your therapist sent it)."),
    call: (conn, name, form) => conn.joinRoom({ code: tidyCode(form.elements.code.value), name }),
  },
  guide: {
    busy: "guide", kind: "moderator",
    call: (conn, name) => conn.createRoom(name, "moderator"),
  },
  "moderator-join": {
    busy: "join", kind: "moderator",
    call: (conn, name, form, state) => conn.joinRoom({ code: state.route.code, name, secret: state.route.secret }),
    errors: { forbidden: "That moderator link isn't valid for this session." },
  },
};

async function seatForm(form, api, how) {
  const name = form.elements.name.value.trim();
  if (!name) return api.say(errorText({ code: "invalid_name" }));
  const why = how.check?.(form);
  if (why) return api.say(why);
  const after = how.after?.(form);
  api.store.ui({ busy: how.busy });
  const ack = await how.call(api.conn, name, form, api.store.state);
  api.store.ui({ busy: null });
  if (!ack.ok) return api.say(how.errors?.[ack.error?.code] || errorText(ack.error));
  storage.clearDrafts("home");
  // A moderator link's secret has done its job; keep it out of the address bar and history.
  api.go(pathFor(how.kind, ack.code), { kind: how.kind, code: ack.code, secret: null });
  if (after) await after(api);
  return null;
}

export const submit = Object.fromEntries(Object.entries(SEAT_FORMS)
  .map(([action, how]) => [action, (form, api) => seatForm(form, api, how)]));

export const click = {
  "resume-last": (el, api) => {
    const seat = api.store.state.resumable;
    if (!seat) return;
    const kind = seat.role === "moderator" ? "moderator" : "join";
    api.go(pathFor(kind, seat.code), { kind, code: seat.code, secret: null });
    api.store.update({ resumable: null });
    api.conn.useSeat(seat);
  },

  "forget-last": (el, api) => {
    storage.forgetSeat(api.store.state.resumable);
    api.store.update({ resumable: null });
  },
};

export const change = {
  "home-mode": (el, api) => api.store.ui({ mode: el.value }),
};
