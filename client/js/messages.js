// Every error ack becomes a short sentence a person can act on. Codes come from
// the server's domain errors, plus three the client makes itself (offline,
// timeout, not_sent). The moderator seat hears some of them in its own words.

const WORDS = {
  room_full: "This session already has two partners. Check the code, or ask for a new one.",
  not_found: "There's no session with that code. Check the letters and try again.",
  rate_limited: "Too many tries in a short time. Please wait a minute, then try again.",
  stale: "Your partner just moved on — here's where you are.",
  not_your_turn: "It's your partner's turn just now. Yours comes next.",
  wrong_step: "That moment has passed — here's where you are now.",
  paused: "You're in a time-out. Say you're ready to go on first.",
  text_required: "Please write a few words first, so your partner can read them.",
  text_too_long: "That's a little long. Please shorten it and send again.",
  forbidden: "That isn't something you can do from this phone.",
  bad_token: "This phone's place in that session has expired. Join again with the code.",
  not_joined: "This phone isn't in that session any more. Join again with the code.",
  already_joined: "This phone is already in a session. Leave it first.",
  invalid_name: "Please enter your name.",
  partner_missing: "Your partner needs to join before you can start.",
  choose_voice: "First choose how you two will talk in the spoken steps: on a call in Attune, or by typing.",
  not_remote: "You're in the same room, so you talk aloud; there's nothing to choose.",
  finished: "This part is already finished.",
  not_kept: "The summary can be saved only when you both chose to keep it.",
  unknown_exercise: "One of those exercises isn't available any more. Please choose again.",
  bad_option: "One of the settings doesn't fit that exercise. Please check the plan and send it again.",
  busy: "The server is busy. Please try again in a moment.",
  payload_too_large: "That's too long to send. Please shorten it.",
  offline: "You're offline just now. Please try again once you're connected.",
  timeout: "The server didn't answer in time. Please try again.",
  not_sent: "That couldn't be sent. Your words are kept — please try again.",
  session_gone: "That session has ended or expired. You can start a new one.",
  internal: "Something went wrong on our side. Please try again.",
};

// The same refusals, said to the therapist at the moderator seat.
const TO_MODERATOR = {
  stale: "The couple just moved on — here's where they are now. Try again if you still want to.",
  forbidden: "That can't be done from the moderator seat.",
  partner_missing: "Both partners need to join before you can start.",
  choose_voice: "The couple first chooses, on their phones, how they'll talk in the spoken steps.",
  wrong_step: "That isn't possible at this moment — here's where the session is now.",
  finished: "The exercises are over; the partners are looking at their summary.",
  not_your_turn: "That belongs to one of the partners.",
};

const FALLBACK = "Something went wrong. Please try again.";

/** A plain sentence for an error ack's {code, message}; never a bare code or a trace. */
export function errorText(error, { moderator = false } = {}) {
  if (!error) return FALLBACK;
  // The server's own messages are written for people; use one if it looks like a sentence.
  const msg = typeof error.message === "string" ? error.message.trim() : "";
  const sentence = msg && msg.length <= 160 && !/[{}<>\n]|Traceback|Error:/.test(msg) ? msg : null;
  if (moderator) {
    // "Nothing is paused.", "No timer is running.": the server says exactly what the moderator needs.
    if (error.code === "wrong_step" && sentence) return sentence;
    if (TO_MODERATOR[error.code]) return TO_MODERATOR[error.code];
  }
  if (WORDS[error.code]) return WORDS[error.code];
  return sentence || FALLBACK;
}
