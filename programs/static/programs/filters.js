// A list page's filter form leaves its empty fields out of the URL it asks for and
// puts in the history: "?status=ceased", not "?q=&region=&status=ceased"; and its
// long lists of boxes narrow as one types.
(function () {
  "use strict";

  function emptyNames(pairs) {
    const filled = new Set();
    const empty = new Set();
    for (const [name, value] of pairs) {
      (value === "" ? empty : filled).add(name);
    }
    return [...empty].filter((name) => !filled.has(name));
  }

  // A long list of boxes (indicators) narrows as one types in the box above it: case
  // and accents aside, each word in the label. Headings of groups left empty hide too.
  function folded(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  document.addEventListener("input", (event) => {
    const finder = event.target;
    if (!finder.classList || !finder.classList.contains("choice-finder")) return;
    const list = document.getElementById(finder.dataset.finds);
    if (!list) return;
    const words = folded(finder.value).split(/\s+/).filter(Boolean);
    let heading = null;
    let shownInGroup = 0;
    const close = () => {
      if (heading) heading.hidden = shownInGroup === 0;
    };
    for (const item of list.children) {
      if (item.classList.contains("choice-group")) {
        close();
        heading = item;
        shownInGroup = 0;
        continue;
      }
      const label = folded(item.textContent);
      const shown = words.every((word) => label.includes(word));
      item.hidden = !shown;
      if (shown) shownInGroup += 1;
    }
    close();
  });

  // htmx (the form's own requests): drop the empty parameters before the URL is built.
  document.addEventListener("htmx:configRequest", (event) => {
    if (!event.detail.elt || event.detail.elt.id !== "filters") return;
    const data = event.detail.formData;
    for (const name of emptyNames(data.entries())) data.delete(name);
  });
})();
