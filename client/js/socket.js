// The one module that owns the socket. It seats this phone (create, join,
// resume), resumes on every (re)connect with the token kept in localStorage
// (offered in the handshake's `auth`; a server that answers it with `resumed`
// saves the `resume` call), and sends intents (outbox.js): each with a client
// id, retried once after a reconnect under the SAME id so the server applies it once.

import { io } from "/vendor/socket.io.esm.min.js";
import { newId } from "./ids.js";
import { clientError, createOutbox, shedDelay } from "./outbox.js";
import { seatLoss } from "./seatloss.js";
import * as storage from "./storage.js";
import { timelineFetcher } from "./timeline.js";

const ACK_MS = 10000;
const PROBE_MS = 4000;
// How long a seating call (create, join) waits for a connection still being
// made: the page may be tapped before its socket has finished connecting.
const CONNECT_WAIT_MS = 10000;

/** Connect to the server and return the calls the controller may make. */
export function createConnection(store) {
  let offered = null; // the seat this connection's handshake offered to resume
  let handshook = false; // the server answered that offer (`resumed`) before "connect"
  const socket = io({
    autoConnect: false, reconnectionDelay: 400, reconnectionDelayMax: 3000, timeout: 8000,
    // Asked again on every (re)connect: the seat held now, unless it was opened on another device.
    auth: (cb) => {
      offered = store.state.seat && !store.state.replaced ? store.state.seat : null;
      cb(offered ? { code: offered.code, token: offered.token } : {});
    },
  });
  // Intents on their way (see outbox.js); sent only while this connection holds the seat.
  const { add, flush, failAll } = createOutbox(store, (event, payload) => call(event, payload),
    () => socket.connected, () => seated && socket.connected);
  let seated = false; // this very connection holds the seat (joined or resumed)
  // The moderator's timeline, fetched into the store (see timeline.js).
  const refreshTimeline = timelineFetcher(store, (event, payload) => call(event, payload), () => socket.connected);

  /** Resolves true once the socket is connected, false if it is not within `ms`. */
  function connected(ms) {
    if (socket.connected) return Promise.resolve(true);
    if (navigator.onLine === false) return Promise.resolve(false);
    if (!socket.active) socket.connect();
    return new Promise((resolve) => {
      const done = (ok) => {
        clearTimeout(timer);
        socket.off("connect", onConnect);
        resolve(ok);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(socket.connected), ms);
      socket.on("connect", onConnect);
    });
  }

  /** Emit with an ack. With `wait`, first give a connection being made that long to arrive. */
  async function call(event, payload, ms = ACK_MS, { wait = 0 } = {}) {
    if (!socket.connected && wait > 0) await connected(wait);
    return new Promise((resolve) => {
      if (!socket.connected) {
        resolve(clientError("offline"));
        return;
      }
      socket.timeout(ms).emit(event, payload, (err, ack) => {
        if (err) resolve(clientError(socket.connected ? "timeout" : "offline"));
        else if (ack && typeof ack === "object") resolve(ack);
        else resolve(clientError("internal"));
      });
    });
  }

  /** `seat` with the links a seat ack carries (the server's own base address), where it sent them. */
  function withLinks(seat, ack) {
    const next = { ...seat };
    if (ack.join_url) next.joinUrl = ack.join_url;
    if (ack.qr_url) next.qrUrl = ack.qr_url;
    if (seat.role === "moderator" && ack.moderator_url) next.moderatorUrl = ack.moderator_url;
    return next;
  }

  function hold(ack, role, moderatorUrl = null) {
    // The moderator's own link (it carries the secret) is kept like the token,
    // which grants the same seat, so the dashboard can show it after a reload.
    const base = { code: ack.code, seat: ack.seat, token: ack.token, role };
    if (role === "moderator") {
      base.moderatorUrl = moderatorUrl;
      // The name goes with the link: taking the dashboard back on this device joins again with both.
      base.name = ack.view?.seats?.[ack.seat]?.name || null;
    }
    const seat = withLinks(base, ack);
    storage.saveSeat(seat);
    seated = true;
    store.update({ seat, ended: null, replaced: false, resuming: false, notice: null, timeline: null });
    store.setView(ack.view);
  }

  // A seat the server no longer takes: the room is gone, or (a moderator's) the link took it elsewhere.
  const { gone, lose, reclaimNext, reclaimDone } = seatLoss(store, {
    call: (event, payload) => call(event, payload, ACK_MS, { wait: CONNECT_WAIT_MS }),
    hold: (ack, url) => hold(ack, "moderator", url),
    letGo: (code) => { seated = false; failAll(code); },
  });

  async function resume() {
    const seat = store.state.seat;
    if (!seat || !socket.connected || store.state.replaced) return null;
    store.update({ resuming: true });
    const ack = await call("resume", { code: seat.code, token: seat.token }, PROBE_MS + 2000);
    resumed(seat, ack);
    return ack;
  }

  /** Act on the answer to resuming `seat`: the `resume` ack, or `resumed` after the handshake. */
  function resumed(seat, ack) {
    if (store.state.seat !== seat) return; // left or switched rooms meanwhile
    if (ack?.ok) {
      seated = true;
      reclaimDone();
      // Links the server sends now (a seat kept by an older page may lack them) are kept with the seat.
      const fresh = withLinks(seat, ack);
      const moved = JSON.stringify(fresh) !== JSON.stringify(seat);
      if (moved) storage.saveSeat(fresh);
      store.update(moved ? { resuming: false, seat: fresh } : { resuming: false });
      store.setView(ack.view);
      flush();
      // A view pushed while resuming may have asked for the timeline too early.
      if (seat.role === "moderator") refreshTimeline();
    } else if (["bad_token", "not_found", "not_joined"].includes(ack.error?.code)) {
      lose(seat, ack);
    } else if (ack.error?.code === "busy" && shedDelay(ack, 0) !== null) {
      // An overloaded server (a restart's storm of phones) asks us to come back shortly.
      setTimeout(() => { if (store.state.seat === seat) resume(); }, shedDelay(ack, 0) * 1000);
    } else if (ack.error?.code === "timeout") {
      // A half-dead connection (a phone just woke up): start a fresh one.
      socket.io.engine?.close();
    } else {
      store.update({ resuming: false });
    }
  }

  // A server that resumes in the handshake answers before "connect" fires.
  socket.on("resumed", (ack) => {
    if (!offered || store.state.seat !== offered) return;
    handshook = true;
    resumed(offered, ack);
  });

  socket.on("connect", () => {
    if (!handshook) seated = false;
    store.update({ conn: "online" });
    // An older server ignores the handshake's offer: resume as always.
    if (!handshook) resume();
  });

  socket.on("disconnect", (reason) => {
    seated = false;
    handshook = false;
    store.update({ conn: "offline" });
    // The server let us go; unless it was for a newer device, come back.
    if (reason === "io server disconnect" && !store.state.replaced && navigator.onLine !== false) socket.connect();
  });

  socket.on("view", (view) => {
    const seat = store.state.seat;
    if (seat && view && view.code === seat.code) store.setView(view);
  });

  // The call's signalling from the other seats (call/peers.js listens).
  const signalled = new Set();
  socket.on("call_signal", (msg) => signalled.forEach((fn) => fn(msg)));

  socket.on("room_ended", (event) => {
    const seat = store.state.seat;
    if (!seat || event?.code !== seat.code) return;
    seated = false;
    failAll("finished");
    store.update({ seat: null, view: null, timeline: null });
    if (event.by === seat.seat) {
      // This phone asked for it and confirmed that everything goes.
      storage.forgetSeat(seat);
      store.update({ ended: { by: event.by, code: seat.code, role: seat.role } });
    } else {
      gone(seat, event.by || "other");
    }
  });

  socket.on("seat_replaced", (event) => {
    const seat = store.state.seat;
    if (!seat || event?.code !== seat.code) return;
    seated = false;
    store.update({ replaced: true });
  });

  // A phone going offline gets no clean close; stop trying (and failing, loudly)
  // until the browser says the network is back.
  window.addEventListener("offline", () => {
    socket.disconnect();
    store.update({ conn: "offline" });
  });
  window.addEventListener("online", () => {
    if (!socket.connected) socket.connect();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") probe();
  });

  /** After the phone wakes: reconnect now, or check that the connection still answers. */
  function probe() {
    if (store.state.replaced) return;
    if (!socket.connected) {
      if (navigator.onLine !== false) socket.connect();
    } else if (store.state.seat) {
      resume();
    }
  }

  return {
    start() {
      if (navigator.onLine === false) store.update({ conn: "offline" });
      else socket.connect();
    },

    /** Open a room as its first partner, or (role "moderator") as the therapist guiding it. */
    async createRoom(name, role = "partner") {
      const payload = { name };
      if (role === "moderator") payload.role = role;
      const ack = await call("create_room", payload, ACK_MS, { wait: CONNECT_WAIT_MS });
      if (ack.ok) hold(ack, role);
      return ack;
    },

    /** Take the free partner seat of a room, or the moderator seat with its secret. */
    async joinRoom({ code, name, secret }) {
      const payload = { code, name };
      if (secret) payload.moderator_secret = secret;
      const ack = await call("join_room", payload, ACK_MS, { wait: CONNECT_WAIT_MS });
      if (ack.ok) {
        // The link this seat was opened with, on the server's own base address.
        const link = secret && !ack.moderator_url
          ? ack.join_url.replace(/\/r\/[^/]*$/, `/m/${ack.code}#${encodeURIComponent(secret)}`) : null;
        hold(ack, secret ? "moderator" : "partner", link);
      }
      return ack;
    },

    /** Hold a seat remembered on this phone and resume it (now or on connect). */
    useSeat(seat) {
      store.update({ seat, replaced: false, resuming: true });
      if (socket.connected) return resume();
      if (navigator.onLine !== false) socket.connect();
      return Promise.resolve(null);
    },

    /**
     * Ask whether a seat remembered on this phone still holds its room, without
     * coming online there; when the room is gone, say so (see `gone`).
     * Resolves true (open), false (gone) or null (no answer: offline, older server).
     */
    async checkSeat(seat) {
      const ack = await call("check_seat", { code: seat.code, token: seat.token }, ACK_MS, { wait: CONNECT_WAIT_MS });
      const code = ack.ok ? null : ack.error?.code;
      if (ack.ok) return true;
      if (code !== "not_found" && code !== "bad_token") return null;
      // A moderator's token is also refused once the link was opened on another device: only
      // the link can tell whether the session is gone, so keep offering to continue (seatloss.js).
      if (seat.role === "moderator" && seat.moderatorUrl?.includes("#")) return null;
      // Only if the person has not meanwhile continued, forgotten it or opened another.
      if (store.state.resumable !== seat || store.state.seat) return false;
      store.update({ resumable: null });
      gone(seat);
      return false;
    },

    /** Take the seat back on this device after it was opened elsewhere. */
    takeBack() {
      reclaimNext();
      store.update({ replaced: false, notice: null });
      if (socket.connected) return resume();
      socket.connect();
      return Promise.resolve(null);
    },

    /** Send an intent made against the view on screen; resolves with the server's ack. */
    intent(type, fields = {}) {
      const view = store.state.view;
      // ack_view: the server answers with this seat's new view in the ack rather than a push.
      const payload = { id: newId(), type, ...fields, ack_view: true };
      if (view) payload.version = view.version;
      return add(payload);
    },

    /** Step out of the room: the seat shows "left", and this phone keeps its token to come back. */
    async leave() {
      const ack = await call("leave_room", {});
      seated = false;
      failAll("not_joined");
      store.update({ seat: null, view: null, timeline: null });
      return ack;
    },

    /** End the session for both and erase it. */
    async end() {
      const seat = store.state.seat;
      const ack = await call("end_room", {});
      if (ack.ok) {
        storage.forgetSeat(seat);
        seated = false;
        failAll("finished");
        store.update({ seat: null, view: null, timeline: null, ended: { by: seat?.seat, code: seat?.code, role: seat?.role } });
      }
      return ack;
    },

    /** The kept summary as {markdown, json} (the moderator's record, for the moderator seat), in this device's time zone. */
    exportSummary() {
      const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
      return call("export_summary", tz ? { tz } : {});
    },

    /** Fetch the moderator's event timeline into the store; calls during a fetch are folded into one more. */
    refreshTimeline,

    forgetEnded() {
      store.update({ ended: null });
    },

    probe,

    /** The call's events (call_join, call_leave, call_ice, call_signal): acked, never queued offline. */
    callEvent: (event, payload = {}) => call(event, payload),

    /** Hear `call_signal` from the other seats; returns the way to stop hearing it. */
    onSignal(fn) {
      signalled.add(fn);
      return () => signalled.delete(fn);
    },
  };
}
