// Read-only data the lobby and the check-in need: the exercise library and the
// feeling words; and the safety page's lines, which every page loads at start.

const FEELINGS_URL = "/api/feelings";

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-cache" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** Load the exercise list into the store once (or again after a failure). */
export async function loadExercises(store) {
  if (store.state.exercises !== null || store.state.ui.loadingExercises) return;
  store.ui({ loadingExercises: true });
  try {
    const data = await getJson("/api/exercises");
    store.update({ exercises: data.exercises });
  } catch {
    store.update({ exercises: "error" });
  } finally {
    store.ui({ loadingExercises: false });
  }
}

/** Load the feeling families into the store once. */
export async function loadFeelings(store) {
  if (store.state.feelings || store.state.ui.loadingFeelings) return;
  store.ui({ loadingFeelings: true });
  try {
    const data = await getJson(FEELINGS_URL);
    store.update({ feelings: data.families });
  } catch {
    store.update({ feelings: [], notice: { text: "The feeling words couldn't be loaded. Please reload the page.", tone: "error" } });
  } finally {
    store.ui({ loadingFeelings: false });
  }
}

/**
 * Load the safety page's lines and exit address once, as the page starts: asking only when someone
 * opens the safety page would tell the server who looked.
 */
export async function loadSafety(store) {
  try {
    store.update({ safety: await getJson("/api/safety") });
  } catch {
    store.update({ safety: "error" }); // the page still says to call emergency services; leaving still works
  }
}
