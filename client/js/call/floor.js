// The floor on the call, from the server's view (`view.call.floor`,
// `view.call.may_speak`): whether this phone's microphone sends now, and the
// sentence that says why. Nothing here guesses per step kind.

import { NameOf, nameOf } from "../words.js";

/** A key that changes whenever the floor moves (an "unmute anyway" lasts until then). */
export function floorKey(call) {
  const f = call?.floor || {};
  return JSON.stringify([f.why, f.speakers, f.cue]);
}

/**
 * Whether the microphone sends: the person's own choice first (`wanted`),
 * then the floor, unless they turned it back on deliberately (`override`).
 */
export function micLive(call, { wanted, override }) {
  if (!wanted) return false;
  if (!call || call.may_speak) return true;
  return Boolean(override);
}

function speakersOf(view, speakers) {
  const names = (speakers || []).map((seat) => NameOf(view, seat));
  return names.join(" and ") || "Someone";
}

/** {text, tone, held} for the line under the call's controls; held: the floor has turned the mic off. */
export function floorLine(view, { wanted, override }) {
  const call = view.call;
  const f = call.floor;
  const me = view.you.seat;
  if (f.why === "pause") {
    if (override && wanted) return { text: "You turned your microphone on during the pause.", tone: "info" };
    return { text: `Paused: everyone's microphone is off until ${nameOf(view, "moderator")} resumes.`, tone: "quiet", held: true };
  }
  if (f.why === "timeout") {
    if (override && wanted) return { text: "You turned your microphone on during the time-out.", tone: "info" };
    return { text: "Time-out: everyone's microphone is off until you're both ready.", tone: "quiet", held: true };
  }
  if (!wanted) return { text: "You're muted.", tone: "quiet" };
  if (f.why !== "turn") return { text: "Your microphone is on.", tone: "plain" };
  if (call.may_speak && f.speakers.includes(me)) {
    return f.cue === "say_back"
      ? { text: "Your turn to say it back — your microphone is on.", tone: "mine" }
      : { text: "Your turn to speak — your microphone is on.", tone: "mine" };
  }
  if (call.may_speak) return { text: `${speakersOf(view, f.speakers)} has the floor.`, tone: "plain" };
  if (override) return { text: `You turned your microphone on while ${speakersOf(view, f.speakers)} has the floor.`, tone: "info" };
  return {
    text: `${speakersOf(view, f.speakers)} has the floor — your microphone is off while you listen.`,
    tone: "quiet", held: true,
  };
}
