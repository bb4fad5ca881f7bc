// Ids the client makes: each intent carries one, so a retry is applied once.

/** A random id; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newId() {
  if (window.crypto?.randomUUID) {
    try {
      return window.crypto.randomUUID();
    } catch {
      // not a secure context: fall through
    }
  }
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
