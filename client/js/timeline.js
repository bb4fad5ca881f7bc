// The moderator's event timeline, fetched into the store. Only what came after
// the newest event held is asked for; calls while a fetch is on its way are
// folded into one more fetch after it.

/** `call(event, payload)` -> ack, `online()` -> whether the socket is connected; returns refresh(). */
export function timelineFetcher(store, call, online) {
  let timelineBusy = false; // a get_timeline call is on its way
  let timelineAgain = false; // another view arrived meanwhile: fetch once more after it

  async function refreshTimeline() {
    if (timelineBusy) {
      timelineAgain = true;
      return;
    }
    const seat = store.state.seat;
    if (!seat || seat.role !== "moderator" || !online()) return;
    timelineBusy = true;
    // Ask only for what came after the newest event already held for this room.
    const held = store.state.timelineCode === seat.code && store.state.timeline ? store.state.timeline : [];
    // Notes carry the version the room had when they were written (they do not raise it),
    // so they are counted apart: the server sends the notes after the ones held.
    const since = held.length ? held[held.length - 1].version : 0;
    const notesSince = held.filter((e) => e.type === "note").length;
    const ack = await call("get_timeline", since ? { since, notes_since: notesSince } : {});
    timelineBusy = false;
    // Only an answer for the seat still held counts; a failure keeps the last list.
    if (ack.ok && store.state.seat === seat) {
      store.update({ timeline: held.concat(ack.events), timelineCode: seat.code });
    }
    if (timelineAgain) {
      timelineAgain = false;
      refreshTimeline();
    }
  }

  return refreshTimeline;
}
