// This phone's part in the room's call: asking for the microphone (after
// saying why), joining and leaving, the floor applied to the microphone, the
// camera, and stopping every track when the call, the seat or the room goes.
// The floor comes from the server's view (`view.call`); a person can always
// turn their microphone back on, and the strip says so.

import { errorText } from "../messages.js";
import { floorKey, micLive } from "./floor.js";
import { createPeers } from "./peers.js";
import { draw } from "./view.js";

const local = {
  phase: "idle", // idle | asking | starting | on
  error: null,
  wanted: true, // the person's own choice: microphone on
  override: false, // turned on deliberately while the floor has it off (until the floor moves)
  floor: null, // floorKey of the floor the override was made under
  audio: null,
  video: null,
  peers: null,
  code: null,
  listed: false, // a view has listed this seat on the call since joining
  leaving: false,
};
let store = null;
let conn = null;
let root = null;

function seatedView() {
  const s = store.state;
  return s.view && s.seat && s.view.code === s.seat.code && !s.replaced ? s.view : null;
}

function redraw() {
  draw(root, seatedView(), local);
}

function stopTracks() {
  for (const track of [local.audio, local.video]) track?.stop();
  local.audio = null;
  local.video = null;
}

/** End this phone's call: every connection closed, every track stopped; `tell` the server too. */
function stop(tell = true) {
  local.peers?.closeAll();
  local.peers = null;
  stopTracks();
  const code = local.code;
  Object.assign(local, { phase: "idle", wanted: true, override: false, floor: null, listed: false, code: null });
  if (tell && code && seatedView()?.code === code) conn.callEvent("call_leave");
  redraw();
}

async function join() {
  const view = seatedView();
  if (!view || local.phase === "starting" || local.phase === "on") return;
  local.phase = "starting";
  local.error = null;
  redraw();
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    local.audio = stream.getAudioTracks()[0];
  } catch {
    local.phase = "idle";
    local.error = "Your browser didn't let Attune use the microphone. You can allow it in the browser's site settings and try again.";
    redraw();
    return;
  }
  const ice = await conn.callEvent("call_ice");
  if (!ice.ok || seatedView()?.code !== view.code) {
    stopTracks();
    local.phase = "idle";
    local.error = ice.ok ? null : errorText(ice.error);
    redraw();
    return;
  }
  local.code = view.code;
  local.peers = createPeers({
    me: view.you.seat,
    config: ice,
    send: (to, kind, body) => conn.callEvent("call_signal", { to, kind, ...body }),
    tracks: () => ({ audio: local.audio, video: local.video }),
    changed: redraw,
  });
  const ack = await conn.callEvent("call_join");
  if (!ack.ok) {
    stop(false);
    local.error = errorText(ack.error);
    redraw();
    return;
  }
  local.phase = "on";
  follow();
}

function applyMic(view) {
  const key = floorKey(view.call);
  if (key !== local.floor) {
    local.floor = key;
    local.override = false; // the floor moved: it decides again
  }
  if (local.audio) local.audio.enabled = micLive(view.call, local);
}

/** Follow the newest view: the seats on the call, the floor, and whether this phone is still in it. */
function follow() {
  const view = seatedView();
  if (local.phase === "on" || local.phase === "starting") {
    if (!view || view.code !== (local.code || view.code)) {
      stop(false); // the seat or the room is gone: every track stops
      return;
    }
  }
  if (view && local.phase === "on") {
    const listed = view.call.on_call.includes(view.you.seat);
    if (listed) local.listed = true;
    else if (local.listed) {
      stop(false); // taken off the call (left the room, or from another tab)
      return;
    }
    applyMic(view);
    local.peers.follow(view.call.on_call);
  } else if (view && local.phase === "idle" && view.call?.on_call.includes(view.you.seat) && !local.leaving) {
    // The server still lists a call this page does not hold (a reload, a crash): take it off.
    local.leaving = true;
    conn.callEvent("call_leave").finally(() => { local.leaving = false; });
  }
  redraw();
}

async function toggleCamera() {
  if (local.phase !== "on") return;
  if (local.video) {
    local.peers.replace("video", null);
    local.video.stop(); // the camera light goes off
    local.video = null;
  } else {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
      local.video = stream.getVideoTracks()[0];
      if (local.phase !== "on") return stopTracks();
      local.peers.replace("video", local.video);
    } catch {
      local.error = "Your browser didn't let Attune use the camera. The call goes on with voice.";
    }
  }
  redraw();
}

function toggleMic() {
  const view = seatedView();
  if (!view || local.phase !== "on") return;
  if (micLive(view.call, local)) local.wanted = false;
  else {
    local.wanted = true;
    local.override = !view.call.may_speak; // deliberately, past the floor
  }
  applyMic(view);
  redraw();
}

/** The call's taps (data-action), for controller.js. */
export const click = {
  "call-start": () => { local.phase = "asking"; local.error = null; redraw(); },
  "call-cancel": () => { local.phase = "idle"; redraw(); },
  "call-allow": () => join(),
  "call-mic": () => toggleMic(),
  "call-camera": () => toggleCamera(),
  "call-leave": () => stop(true),
};

/** Start following the store; signals from the other seats go to this call's connections. */
export function start(s, c) {
  store = s;
  conn = c;
  root = document.querySelector("[data-call]");
  conn.onSignal((msg) => {
    if (local.peers) local.peers.signal(msg).catch(() => {});
  });
  // Closing the page ends the call here; the others see it go with the next view.
  window.addEventListener("pagehide", () => stopTracks());
  store.addEventListener("change", follow);
  return follow;
}
