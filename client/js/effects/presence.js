// A partner's phone coming back or going away is announced. A partner phone
// follows the other partner; the moderator follows both.

import { PARTNERS, nameOf, otherSeat } from "../words.js";
import { announce } from "./announce.js";

export function start(store) {
  let lastPartner = null;
  const follow = () => {
    const view = store.state.view;
    const moderator = view?.you.role === "moderator";
    const watched = !view ? [] : moderator ? PARTNERS : [otherSeat(view)];
    const partnerKeys = watched.map((seat) => {
      const held = view.seats[seat];
      return held ? `${held.name}:${held.presence}` : "";
    });
    if (view && lastPartner !== null) {
      watched.forEach((seat, i) => {
        const held = view.seats[seat];
        if (!held || partnerKeys[i] === lastPartner[i]) return;
        if (held.presence === "online") announce(`${nameOf(view, seat)} is here.`);
        else if (held.presence === "away") announce(`${nameOf(view, seat)}'s phone is away.`);
      });
    }
    lastPartner = view ? partnerKeys : null;
  };
  store.addEventListener("change", follow);
  return follow;
}
