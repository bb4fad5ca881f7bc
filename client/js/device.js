// What a phone offers beyond the page, each feature-detected and allowed to
// fail quietly: wake lock, vibration, clipboard, share sheet, file download.

let lock = null;
let wanted = false;
let asking = false;

/** Keep the screen on (during an exercise) or let it sleep again. */
export async function keepAwake(on) {
  wanted = on;
  if (!navigator.wakeLock || typeof navigator.wakeLock.request !== "function") return;
  if (on && !lock && !asking && document.visibilityState === "visible") {
    asking = true;
    try {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => { lock = null; });
      if (!wanted) await release();
    } catch {
      lock = null; // refused (battery saver, no permission): the session works without it
    } finally {
      asking = false;
    }
  } else if (!on && lock) {
    await release();
  }
}

async function release() {
  const held = lock;
  lock = null;
  try {
    await held?.release();
  } catch {
    // already released by the system
  }
}

// The system drops a wake lock when the page is hidden; take it again on return.
document.addEventListener("visibilitychange", () => {
  if (wanted && document.visibilityState === "visible") keepAwake(true);
});

/** Whether this browser can vibrate at all (Safari on iPhone cannot). */
export function canVibrate() {
  return typeof navigator.vibrate === "function";
}

/** A short buzz, only where supported and after the person has touched the page. */
export function buzz(ms = 80) {
  try {
    if (typeof navigator.vibrate === "function" && navigator.userActivation?.hasBeenActive) navigator.vibrate(ms);
  } catch {
    // not allowed here
  }
}

/** Copy text to the clipboard; falls back to selecting a field's text. */
export async function copyText(text, field) {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // not allowed (insecure context, permission): fall back below
  }
  if (field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
  return false;
}

/** Open the phone's share sheet with the join link; false when unavailable or cancelled. */
export async function shareLink(url) {
  if (typeof navigator.share !== "function") return false;
  try {
    await navigator.share({ title: "Join me on Attune", text: "Join our Attune session:", url });
    return true;
  } catch {
    return false;
  }
}

/** Save text as a file on the phone (a Blob, no server round trip). */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
