// Names, seats and small phrases shared by the views (role words belong to the
// step kinds: views/steps/index.js#ROLE_WORDS).

/** The two partner seats, in the order the screens list them. */
export const PARTNERS = ["partner_a", "partner_b"];

export const PRESENCE = { online: "here", away: "away", left: "left" };

export const DEPTH = { 1: "Gentle", 2: "Deeper", 3: "Deepest" };

/** The seat of the other partner, or null for a moderator. */
export function otherSeat(view) {
  const me = view.you.seat;
  if (me === "partner_a") return "partner_b";
  if (me === "partner_b") return "partner_a";
  return null;
}

/**
 * Whether `seat` is the moderator's. The server gives every seat its role; a name is never asked,
 * so a partner who calls themself "Moderator" is still a partner here.
 */
export function isModerator(view, seat) {
  const held = view.seats?.[seat];
  return Boolean(held) && (held.role ? held.role === "moderator" : seat === "moderator");
}

/** The seat the moderator holds, or null. */
export function moderatorSeat(view) {
  return Object.keys(view.seats || {}).find((seat) => isModerator(view, seat)) || null;
}

/** A seat's display name: "you" for this phone, the name otherwise. */
export function nameOf(view, seat) {
  if (!seat) return "someone";
  if (seat === view.you.seat) return "you";
  const held = view.seats?.[seat];
  if (held?.name) return held.name;
  return seat === "moderator" ? "your guide" : "your partner";
}

/** Like nameOf, capitalised for the start of a sentence. */
export function NameOf(view, seat) {
  const name = nameOf(view, seat);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Minutes and seconds: 95 -> "1:35". */
export function clock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A server timestamp (epoch seconds) as this device's time of day: "14:03:12". */
export function timeOfDay(seconds) {
  const d = new Date(seconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** Whether the view's room has couple typing (remote) rather than talking (same room). */
export function isRemote(view) {
  return view.mode === "remote";
}
