// The dashboard's links: the moderator's own (it carries the secret) and the
// partners' invite (code, QR, join link). The server's links when it sent them.

import { h } from "../../dom.js";
import { joinUrlOf, qrUrlOf, spacedCode } from "../../route.js";
import { PARTNERS } from "../../words.js";

function linkRow(id, label, value, state, hint) {
  return [
    h("label", { for: id, class: "field-label" }, label),
    hint,
    h("div", { class: "link-row" },
      h("input", { id, readonly: true, value, data: { selectAll: "1" }, "aria-describedby": hint ? `${id}-hint` : null }),
      h("button", { type: "button", class: "btn secondary", id: `copy-${id}`, "aria-label": `Copy ${label.toLowerCase()}`,
        data: { action: "copy", text: value, field: id } }, state.ui.copied === id ? "Copied" : "Copy")),
  ];
}

export function yourLink(state) {
  const url = state.seat?.moderatorUrl;
  const warn = h("p", { class: "care", id: "mod-link-hint" },
    h("strong", null, "For you alone — don't share it. "),
    "It opens this dashboard, with its controls and your private notes, on another device.");
  return h("section", { class: "panel your-link", "aria-labelledby": "your-link-title" },
    h("h2", { id: "your-link-title" }, "Your moderator link"),
    url ? linkRow("mod-link", "Moderator link", url, state, warn)
      : h("p", { class: "hint" }, "Open this dashboard on another device with the moderator link you were given."));
}

export function invite(state, view) {
  const code = view.code;
  const joinUrl = joinUrlOf(state.seat, code);
  const full = PARTNERS.every((seat) => view.seats[seat]);
  return h("section", { class: "panel invite", "aria-labelledby": "invite-title" },
    h("h2", { id: "invite-title" }, full ? "The couple is here" : "Invite the couple"),
    h("p", null, full ? "Both partners have joined with this code." : "Each partner joins on their own phone: with the code, the QR code, or the link."),
    h("p", { class: "code", id: "room-code", "aria-label": `Session code: ${code.split("").join(" ")}`, data: { code } },
      spacedCode(code)),
    full ? null : h("img", { class: "qr", src: qrUrlOf(state.seat, code), width: 196, height: 196, alt: "QR code that opens the partners' join link" }),
    linkRow("join-link", "Join link for the partners", joinUrl, state, null),
    typeof navigator.share === "function"
      ? h("button", { type: "button", class: "btn secondary", id: "share-link", data: { action: "share", text: joinUrl } },
        "Share the join link…")
      : null);
}
