// The moderator's timeline is fetched again whenever a new view arrives (a new
// private note is a new view of the same version).

export function start(store, conn) {
  let timelineOf = null;
  const follow = () => {
    const view = store.state.view;
    const moderator = view?.you.role === "moderator";
    const timelineKey = view ? `${view.version}:${view.session?.notes?.length ?? 0}` : null;
    if (moderator && timelineKey !== timelineOf) {
      timelineOf = timelineKey;
      queueMicrotask(() => conn.refreshTimeline());
    }
    if (!view) timelineOf = null;
  };
  store.addEventListener("change", follow);
  return follow;
}
