// The call's strip above every screen (`<aside data-call>` in index.html):
// join (with what the browser is about to ask, said first), the floor line,
// the microphone, camera and leave buttons, and a small tile per person. It
// lives outside <main> and is drawn here, not by render.js, so the audio and
// video elements stay put while the screen below is redrawn.

import { h } from "../dom.js";
import { NameOf } from "../words.js";
import { floorLine, micLive } from "./floor.js";

const STATES = { new: "connecting", connecting: "connecting", connected: "connected", disconnected: "reconnecting",
  failed: "can't connect", closed: "left" };
const tiles = new Map(); // seat -> {el, audio, video, label}

function button(id, action, text, attrs = {}) {
  return h("button", { type: "button", class: ["btn", attrs.primary ? "primary" : "secondary", "call-btn"], id,
    data: { action }, "aria-pressed": attrs.pressed, disabled: attrs.disabled }, text);
}

function errorLine(local) {
  if (!local.error) return null;
  return h("p", { class: "call-error", role: "alert" }, local.error);
}

function controls(view, local) {
  if (local.phase === "asking") {
    const others = view.you.role === "moderator" ? "the couple's phones" : "the other phones in this session";
    return [
      h("p", { class: "call-explain", id: "call-explain" },
        `Your browser will now ask to use your microphone. Your voice goes straight to ${others}, encrypted; `
        + "nothing is recorded, and Attune's server never hears it. Your camera stays off unless you turn it on."),
      h("div", { class: "call-row" },
        button("call-allow", "call-allow", "Use my microphone and join", { primary: true }),
        button("call-cancel", "call-cancel", "Not now")),
    ];
  }
  if (local.phase === "starting") return [h("p", { class: "call-line" }, "Joining the call…")];
  if (local.phase !== "on" && !navigator.mediaDevices) {
    // Browsers give the microphone only to https:// pages (and localhost).
    return [h("p", { class: "call-line" }, "A call needs this page opened on a secure (https://) address. "
      + "Whoever set up Attune can turn that on.")];
  }
  if (local.phase !== "on") {
    const on = view.call.on_call.filter((s) => s !== view.you.seat).map((s) => NameOf(view, s));
    return [
      h("div", { class: "call-row" },
        button("call-start", "call-start", "Join the call", { primary: true }),
        h("p", { class: "call-line" }, on.length ? `${on.join(" and ")} ${on.length > 1 ? "are" : "is"} on the call.`
          : "Talk, with video if you like, while you do the exercise.")),
      errorLine(local),
    ];
  }
  const live = micLive(view.call, local);
  return [
    h("div", { class: "call-row" },
      button("call-mic", "call-mic", live ? "Mute" : "Unmute", { pressed: live ? "false" : "true" }),
      button("call-camera", "call-camera", local.video ? "Camera off" : "Camera on", { pressed: local.video ? "true" : "false" }),
      button("call-leave", "call-leave", "Leave call")),
    errorLine(local),
  ];
}

/** The floor line beside the tiles: one element, its words changed only when they change (role=status). */
function drawFloor(line, view, local) {
  const said = local.phase === "on" ? floorLine(view, local) : null;
  line.hidden = !said;
  if (!said) return;
  if (line.textContent !== said.text) line.textContent = said.text;
  line.className = `call-floor ${said.tone}`;
  line.dataset.held = said.held ? "true" : "false";
}

function tileFor(seat) {
  let tile = tiles.get(seat);
  if (!tile) {
    const audio = h("audio", { autoplay: true });
    const video = h("video", { autoplay: true, playsinline: true, class: "call-video" });
    video.muted = true; // its sound plays through the audio element
    const label = h("span", { class: "call-name" });
    const state = h("span", { class: "call-state" });
    tile = { el: h("figure", { class: "call-tile", data: { seat } }, video, audio, h("figcaption", null, label, state)),
      audio, video, label, state };
    tiles.set(seat, tile);
  }
  return tile;
}

function drawTiles(box, view, local) {
  const wanted = local.phase === "on" ? view.call.on_call.filter((s) => s !== view.you.seat) : [];
  if (local.video) wanted.push("self");
  for (const [seat, tile] of tiles) {
    if (!wanted.includes(seat)) {
      tile.el.remove();
      for (const media of [tile.audio, tile.video]) media.srcObject = null;
      tiles.delete(seat);
    }
  }
  for (const seat of wanted) {
    const tile = tileFor(seat);
    if (seat === "self") {
      if (tile.video.srcObject?.getVideoTracks()[0] !== local.video) tile.video.srcObject = new MediaStream([local.video]);
      tile.label.textContent = "You";
      tile.state.textContent = "";
      tile.el.dataset.video = "on";
      tile.el.classList.add("self");
    } else {
      const peer = local.peers?.get(seat);
      if (peer && tile.audio.srcObject !== peer.stream) {
        tile.audio.srcObject = peer.stream;
        tile.video.srcObject = peer.stream;
      }
      tile.label.textContent = NameOf(view, seat);
      const word = STATES[peer?.state] || "connecting";
      tile.state.textContent = word === "connected" ? "" : ` · ${word}`;
      tile.el.dataset.state = peer?.state || "new";
      tile.el.dataset.video = peer?.videoOn ? "on" : "off";
    }
    if (tile.el.parentNode !== box) box.append(tile.el);
  }
  box.hidden = wanted.length === 0;
}

/** Draw the call strip for this view (null: no seat, nothing shown) and this phone's call. */
export function draw(root, view, local) {
  if (!root) return;
  const shown = Boolean(view?.call && (view.call.allowed || local.phase !== "idle"));
  root.hidden = !shown;
  if (!shown) {
    drawTiles(root.querySelector("[data-call-tiles]") || root, { call: { on_call: [] }, you: {} }, { phase: "idle" });
    return;
  }
  let box = root.querySelector("[data-call-tiles]");
  let bar = root.querySelector("[data-call-controls]");
  let line = root.querySelector("#call-floor");
  if (!box) {
    box = h("div", { class: "call-tiles", data: { callTiles: "" } });
    line = h("p", { class: "call-floor", id: "call-floor", role: "status", hidden: true });
    bar = h("div", { class: "call-controls", data: { callControls: "" } });
    root.replaceChildren(h("div", { class: "call-head" }, box, line), bar);
  }
  drawTiles(box, view, local);
  drawFloor(line, view, local);
  const focused = document.activeElement && bar.contains(document.activeElement) ? document.activeElement.id : null;
  bar.replaceChildren(...controls(view, local).filter(Boolean));
  if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  root.dataset.phase = local.phase;
}
