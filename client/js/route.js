// What the address bar asks for. "/r/CODE" is a join link, "/m/CODE#secret" a
// moderator link; anything else is the home screen.

const CODE = /^[A-Za-z0-9 _-]{4,20}$/;

/** How long a room code is: a couple's own room, or one a therapist made. */
export const CODE_LENGTHS = [6, 10];

/** Parse a location into {kind: "home" | "join" | "moderator", code, secret}. */
export function parseRoute(location) {
  const parts = location.pathname.split("/").filter(Boolean);
  const code = parts[1] && CODE.test(decodeURIComponent(parts[1])) ? tidyCode(decodeURIComponent(parts[1])) : null;
  if (parts[0] === "r" && code) return { kind: "join", code, secret: null };
  if (parts[0] === "m" && code) {
    const secret = location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : null;
    return { kind: "moderator", code, secret };
  }
  return { kind: "home", code: null, secret: null };
}

/** A code as people type it ("k7m 2qx") in the form the server uses ("K7M2QX"). */
export function tidyCode(raw) {
  return String(raw).toUpperCase().replace(/[\s_-]/g, "");
}

/** A code spaced for reading aloud: "K7M 2QX", or "K7M2Q X9HTR" for a therapist's room. */
export function spacedCode(code) {
  if (code.length === 6) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (code.length === 10) return `${code.slice(0, 5)} ${code.slice(5)}`;
  return code;
}

/** This app's path for a room: "/m/CODE" for the moderator's page, "/r/CODE" for a partner's. */
export function pathFor(kind, code) {
  return `${kind === "moderator" ? "/m" : "/r"}/${code}`;
}

/** The partners' join link: the server's (in the seat ack), else built from this page's origin. */
export function joinUrlOf(seat, code) {
  return seat?.joinUrl || `${window.location.origin}${pathFor("join", code)}`;
}

/** The QR code of the join link: the server's address for it (same origin), else the usual one. */
export function qrUrlOf(seat, code) {
  return seat?.qrUrl || `${pathFor("join", code)}/qr.svg`;
}
