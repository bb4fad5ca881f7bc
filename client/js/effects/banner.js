// The banner over every screen: reconnecting, offline, or sending what was
// held while the connection was away. A seat opened on another device does not
// reconnect (its screen says so), so it shows none. Each text fits one line on
// a 360 px phone; the banner sits in the page's flow, above the screen, so it
// never covers the screen's first line.

export function start(store) {
  const banner = document.querySelector("[data-banner]");
  const follow = () => {
    const state = store.state;
    const offline = state.conn !== "online";
    let text = "";
    if (state.replaced) text = "";
    else if (offline && state.seat) text = "Reconnecting… nothing is lost.";
    else if (offline && state.conn === "offline") text = "Offline — check your connection.";
    else if (state.waiting > 0) text = "Sending what you wrote…";
    banner.hidden = !text;
    banner.querySelector("[data-banner-text]").textContent = text;
    document.documentElement.classList.toggle("has-banner", Boolean(text));
  };
  store.addEventListener("change", follow);
  return follow;
}
