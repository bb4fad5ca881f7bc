// When the server no longer takes this device's seat token. For a partner that
// means the room is gone (expired, or erased while the phone was away). For the
// moderator it mostly means the moderator link was opened on another device,
// which took the seat with a token of its own: the session may well be live,
// and only the link can tell, by joining with it again. That takes the seat
// from the other device, so it is done only when the person asks for it
// ("Use it on this device"); until then the screen says the session is open
// elsewhere, and it says "ended" only once the server does.

import { errorText } from "./messages.js";
import * as storage from "./storage.js";

/** The moderator link's secret this device knows for `seat`: the address's, else the kept link's. */
function secretOf(store, seat) {
  if (seat.role !== "moderator") return null;
  const route = store.state.route;
  if (route.secret && route.code === seat.code) return route.secret;
  const hash = seat.moderatorUrl ? seat.moderatorUrl.split("#")[1] : "";
  try {
    return hash ? decodeURIComponent(hash) : null;
  } catch {
    return null;
  }
}

/**
 * What socket.js does with a lost seat. `io.call(event, payload)` -> ack (waiting for a connection
 * being made); `io.hold(ack, moderatorUrl)` seats the moderator from a join ack; `io.letGo(code)`
 * marks the connection unseated and fails the intents on their way with `code`.
 */
export function seatLoss(store, io) {
  let reclaiming = false; // "Use it on this device" was tapped

  /**
   * The room of `seat` is gone (expired, or erased while this phone was away):
   * say so, hand the person the words they never sent, and forget the token
   * and every draft of the room. The words then live only in memory, on the
   * ended screen, until the person leaves it.
   */
  function gone(seat, by = null) {
    const words = storage.unsentWords(seat.code);
    storage.forgetSeat(seat);
    store.update({ ended: { by, code: seat.code, role: seat.role, gone: by === null, words } });
  }

  function ended(seat) {
    store.update({ seat: null, view: null, timeline: null, resuming: false, replaced: false, resumable: null });
    gone(seat);
  }

  /** Join again with the link's secret; the session has ended only if the server says so. */
  async function reclaim(seat, secret, name) {
    reclaiming = false;
    const ack = await io.call("join_room", { code: seat.code, name, moderator_secret: secret });
    if (store.state.seat !== seat) return ack; // left or switched rooms meanwhile
    if (ack.ok) io.hold(ack, seat.moderatorUrl);
    else if (ack.error?.code === "not_found" || ack.error?.code === "forbidden") ended(seat);
    else store.update({ replaced: true, resuming: false, notice: { text: errorText(ack.error, { moderator: true }), tone: "error" } });
    return ack;
  }

  /** The server refused `seat`'s token (`ack` its answer). */
  function lose(seat, ack) {
    io.letGo(ack.error?.code || "not_joined");
    const secret = secretOf(store, seat);
    const name = seat.name || store.state.view?.seats?.[seat.seat]?.name || null;
    if (secret && name) {
      if (reclaiming) return reclaim(seat, secret, name);
      store.update({ replaced: true, resuming: false });
      return null;
    }
    if (secret) {
      // No name kept with the seat (an older page): the link's own form joins with it.
      storage.forgetSeat(seat);
      store.update({ seat: null, view: null, timeline: null, resuming: false,
        route: { kind: "moderator", code: seat.code, secret },
        notice: { text: "Another device may have this session's dashboard now. Join with your name to use it here.", tone: "info" } });
      return null;
    }
    ended(seat);
    return null;
  }

  return {
    gone,
    lose,
    /** The next refused moderator token is to be taken back with the link. */
    reclaimNext: () => { reclaiming = true; },
    /** The seat was resumed after all: nothing to take back. */
    reclaimDone: () => { reclaiming = false; },
  };
}
