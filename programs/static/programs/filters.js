// A list page's filter form leaves its empty fields out of the URL it asks for and
// puts in the history: "?status=ceased", not "?q=&region=&status=ceased".
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

  // htmx (the form's own requests): drop the empty parameters before the URL is built.
  document.addEventListener("htmx:configRequest", (event) => {
    if (!event.detail.elt || event.detail.elt.id !== "filters") return;
    const data = event.detail.formData;
    for (const name of emptyNames(data.entries())) data.delete(name);
  });
})();
