// The banner over every screen: reconnecting, offline, or sending what was
// held while the connection was away.

export function start(store) {
  const banner = document.querySelector("[data-banner]");
  const follow = () => {
    const state = store.state;
    const offline = state.conn !== "online";
    let text = "";
    if (offline && state.seat) text = "Reconnecting… your place and your words are kept.";
    else if (offline && state.conn === "offline") text = "You're offline. Check your connection.";
    else if (state.waiting > 0) text = "Sending what you wrote…";
    banner.hidden = !text;
    banner.querySelector("[data-banner-text]").textContent = text;
    document.documentElement.classList.toggle("has-banner", Boolean(text));
  };
  store.addEventListener("change", follow);
  return follow;
}
