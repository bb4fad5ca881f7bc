// How a couple apart talks in the spoken steps (aloud cards, timed turns): on
// the call in Attune, or by typing. The lobby asks (set_voice); a spoken step
// says which it is and, for the call, offers to join it. A couple in one room
// never sees any of this (view.session.voice is null for them).

import { h } from "../dom.js";
import { NameOf } from "../words.js";

const CHOICES = [
  ["call", "On a call in Attune", "Talk and listen on a voice call right here, with video if you like."],
  ["typing", "By typing", "Write what you'd say; your partner reads it as it comes."],
];

/** The lobby's question, when the plan holds a spoken step; null otherwise (and in one room). */
export function voicePanel(view) {
  const voice = view.session?.voice;
  if (!voice?.needed || !view.can.includes("set_voice")) return null;
  const by = voice.by && voice.by !== view.you.seat ? NameOf(view, voice.by) : voice.by ? "You" : null;
  const choice = ([value, label, hint]) => h("label", { class: "choice", for: `voice-${value}` },
    h("input", { type: "radio", id: `voice-${value}`, name: "lobby-voice", value, checked: voice.choice === value,
      data: { change: "set-voice" } }),
    h("span", { class: "choice-text" }, h("span", { class: "choice-label" }, label), h("span", { class: "hint" }, hint)));
  return h("fieldset", { class: "panel choices voice", id: "voice-choice", "aria-describedby": "voice-why" },
    h("legend", { class: "field-label" }, "How will you two talk?"),
    h("p", { class: "hint", id: "voice-why" }, "Some steps in this plan are meant to be said out loud. "
      + "Since you're apart, choose how you'll do them. Either of you can choose or change it before you start."),
    CHOICES.map(choice),
    h("p", { class: voice.choice ? "meta" : "hint", id: "voice-status", role: "status" }, voice.choice
      ? `${by} chose ${voice.choice === "call" ? "a call in Attune" : "typing"}.`
      : "Choose one to start."));
}

/** What the dashboard says of it: null in one room or when nothing in the plan is spoken. */
export function voiceWords(view) {
  const voice = view.session?.voice;
  if (!voice?.needed) return null;
  if (!voice.choice) return "They haven't chosen yet how to talk in the spoken steps (on a call in Attune, or by typing).";
  const how = voice.choice === "call" ? "on a call in Attune" : "by typing";
  return `Spoken steps: ${how}${voice.by ? ` (${NameOf(view, voice.by)} chose)` : ""}.`;
}

/** On a spoken step, what the couple apart chose: typing, or the call (with a way to join it). */
export function voiceNote(view, step) {
  if (step.voice === "typing") {
    return h("p", { class: "hint voice-note", id: "voice-note" },
      "You're typing this step. Where it says talk or listen, write and read instead.");
  }
  if (step.voice !== "call") return null;
  const onCall = view.call?.on_call?.includes(view.you.seat);
  if (onCall) return h("p", { class: "hint voice-note", id: "voice-note" }, "You're doing this step on your call.");
  return h("div", { class: "panel voice-note", id: "voice-note" },
    h("p", null, "You chose to do this step on a call in Attune, and this phone isn't on it yet."),
    h("button", { type: "button", class: "btn secondary", id: "voice-join", data: { action: "voice-join-call" } }, "Join the call"),
    h("p", { class: "hint" }, "If the call drops, you can still go on."));
}
