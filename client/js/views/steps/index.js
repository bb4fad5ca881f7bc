// One module per step kind, each with describe(ctx) and render(ctx).

import * as cards from "./cards.js";
import * as checkin from "./checkin.js";
import * as imago from "./imago.js";
import * as speakerListener from "./speaker_listener.js";
import * as timedTurns from "./timed_turns.js";

export const STEPS = {
  speaker_listener: speakerListener,
  imago,
  cards,
  checkin,
  timed_turns: timedTurns,
};
