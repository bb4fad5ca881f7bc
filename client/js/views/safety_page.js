// "Not feeling safe?": when a couples exercise is not the right tool, what to do
// now, and who to call (the lines are the deployer's, from GET /api/safety).
// It opens on this page and tells nobody: no intent, no request, no presence
// change. "Leave quickly" swaps the page for an everyday one (actions/safety.js).

import { h } from "../dom.js";

/** The regions this phone's languages name ("en-GB" -> "GB"), most preferred first. */
function regionsOfPhone() {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language || ""];
  return langs.map((lang) => String(lang).split("-")[1]?.toUpperCase()).filter(Boolean);
}

/** The countries whose region this phone's language names, first; then the others. */
export function orderCountries(countries, regions = regionsOfPhone()) {
  const rank = (c) => {
    const at = c.region ? regions.indexOf(c.region) : -1;
    return at < 0 ? Infinity : at;
  };
  const mine = countries.filter((c) => rank(c) !== Infinity).sort((a, b) => rank(a) - rank(b));
  return { mine, others: countries.filter((c) => rank(c) === Infinity) };
}

const dial = (number) => number.replace(/[^0-9+]/g, "");

function leaveButton(id) {
  return h("button", { type: "button", class: "btn danger leave-quickly", id, data: { action: "safety-leave" } },
    "Leave quickly");
}

function lineOf(line) {
  const ways = [];
  if (line.phone) ways.push(h("a", { class: "reach", href: `tel:${dial(line.phone)}` }, `Call ${line.phone}`));
  if (line.sms) {
    const body = line.sms_body ? `?body=${encodeURIComponent(line.sms_body)}` : "";
    ways.push(h("a", { class: "reach", href: `sms:${dial(line.sms)}${body}` },
      line.sms_body ? `Text ${line.sms_body} to ${line.sms}` : `Text ${line.sms}`));
  }
  if (line.url) {
    ways.push(h("a", { class: "reach", href: line.url, target: "_blank", rel: "noopener noreferrer" },
      `Website: ${new URL(line.url).host}`));
  }
  return h("li", { class: "line" },
    h("p", { class: "line-name" }, line.name),
    line.about ? h("p", { class: "hint" }, line.about) : null,
    line.hours ? h("p", { class: "hint" }, line.hours) : null,
    h("div", { class: "ways" }, ways));
}

function countryOf(country) {
  return h("section", { class: "country", data: { region: country.region || "" } },
    h("h3", null, country.name),
    country.emergency
      ? h("p", null, "Emergency: ", h("a", { class: "reach", href: `tel:${dial(country.emergency)}` }, `Call ${country.emergency}`))
      : null,
    h("ul", { class: "lines" }, country.lines.map(lineOf)));
}

function whoToCall(settings) {
  if (settings === null) return h("p", { class: "hint" }, "Loading the helplines…");
  const countries = settings?.countries || [];
  const note = settings?.note ? h("p", { class: "deployer-note" }, settings.note) : null;
  if (!countries.length) {
    return [note, h("p", null, "Your local emergency number is the quickest help. Emergency services, a doctor or a ",
      "local advice service can also tell you who supports people in your situation where you live.")];
  }
  const { mine, others } = orderCountries(countries);
  if (!mine.length) return [note, countries.map(countryOf)];
  return [note, mine.map(countryOf),
    others.length
      ? h("details", { class: "how other-countries" }, h("summary", null, "Other countries"), others.map(countryOf))
      : null];
}

/** The safety screen. */
export function render(state) {
  const settings = state.safety;
  const here = settings && settings !== "error" ? orderCountries(settings.countries || []).mine[0] : null;
  return h("section", { class: "screen safety" },
    h("div", { class: "leave-row" }, leaveButton("safety-leave"),
      h("p", { class: "hint" }, "Goes straight to an everyday website. Nothing is ended or erased.")),
    h("header", { class: "screen-head" }, h("h1", { tabindex: "-1" }, "Not feeling safe?")),
    h("p", null, "These exercises are for partners who feel safe with each other. They are not the right tool if ",
      "you are afraid of your partner, or if they hurt you, threaten you, force or pressure you into things, or ",
      "control where you go, who you see, your money or your phone. Opening up more can make things more ",
      "dangerous then, not less. None of that is your fault."),
    h("section", { class: "panel", "aria-labelledby": "safety-now" },
      h("h2", { id: "safety-now" }, "What you can do now"),
      h("ul", { class: "safety-steps" },
        h("li", null, "If you are in danger right now, call your local emergency number",
          here?.emergency ? [" (", h("a", { href: `tel:${dial(here.emergency)}` }, here.emergency), " here)."] : "."),
        h("li", null, "You can stop at any time, without a reason. Closing this page or leaving quickly ends and ",
          "erases nothing; your partner's phone only shows yours as away, as when a screen locks."),
        h("li", null, "Talk to someone on your own, in confidence: one of the lines below, a doctor, or a counsellor ",
          "you see by yourself. If a therapist guides your sessions together, you can ask them for time alone."),
        h("li", null, "If you are worried about how you treat your partner, stopping and talking to someone is a ",
          "strong first step too."))),
    h("section", { class: "panel", "aria-labelledby": "safety-who" },
      h("h2", { id: "safety-who" }, "Who you can call"),
      whoToCall(settings)),
    h("section", { class: "panel", "aria-labelledby": "safety-phone" },
      h("h2", { id: "safety-phone" }, "On a shared phone"),
      h("p", null, "\"Leave quickly\" puts an everyday website in place of this page at once, and the Back button ",
        "won't bring Attune back. Your browser's history list may still show the visit; a private window keeps none.")),
    h("div", { class: "turn-actions two" },
      h("button", { type: "button", class: "btn secondary", id: "safety-back", data: { action: "safety-close" } },
        "Back to Attune"),
      leaveButton("safety-leave-end")));
}
