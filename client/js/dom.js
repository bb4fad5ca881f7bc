// A tiny element builder. Children given as strings become text nodes, so
// whatever a partner wrote is never parsed as HTML.

const PROPS = new Set(["value", "checked", "disabled", "hidden", "open", "selected", "tabIndex"]);

/** Build an element: h("button", {class: "x", data: {action: "go"}}, "Go"). */
export function h(tag, attrs = null, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
      } else if (name === "data") {
        for (const [key, v] of Object.entries(value)) {
          if (v !== null && v !== undefined && v !== false) el.dataset[key] = typeof v === "string" ? v : JSON.stringify(v);
        }
      } else if (name === "text") {
        el.textContent = value;
      } else if (PROPS.has(name)) {
        el[name] = value;
      } else {
        el.setAttribute(name, value === true ? "" : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === "") continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** A fragment of several nodes (skips empty ones). */
export function frag(...children) {
  const f = document.createDocumentFragment();
  append(f, children);
  return f;
}
