// How a couple apart talks in spoken steps: the lobby's choice, and joining the call from a step.

import { click as call } from "../call/session.js";

export const change = {
  "set-voice": (el, api) => api.send("set_voice", { voice: el.value }),
};

export const click = {
  // The call's own strip asks for the microphone first; bring it into view with its question.
  "voice-join-call": (el, api) => {
    call["call-start"](el, api);
    const strip = document.querySelector("[data-call]");
    strip?.scrollIntoView({ block: "start" });
    document.getElementById("call-allow")?.focus({ preventScroll: true });
  },
};
