// The search box of every page (loaded from search.js after MiniSearch and
// BOOK_SEARCH): results as the reader types, a link to each section found.
(() => {
  "use strict";
  var index = null;
  function search(q) {
    index = index || MiniSearch.loadJSON(BOOK_SEARCH.index, BOOK_SEARCH.options);
    return index.search(q, { prefix: true, fuzzy: 0.15, boost: { title: 2 }, combineWith: "AND" }).slice(0, 12);
  }
  function show(list, results, q) {
    list.textContent = "";
    if (!q) {
      list.hidden = true;
      return;
    }
    if (!results.length) {
      const none = document.createElement("li");
      none.className = "book-none";
      none.textContent = `Nothing found for “${q}”.`;
      list.appendChild(none);
    }
    results.forEach((r) => {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.href;
      a.textContent = r.title;
      var small = document.createElement("small");
      small.textContent = r.page;
      a.appendChild(small);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }
  function bind(form) {
    var input = form.querySelector("input");
    var list = form.querySelector(".book-results");
    if (!input || !list) return;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    input.addEventListener("input", () => {
      var q = input.value.trim();
      show(list, q ? search(q) : [], q);
    });
    // A result on this same page only moves to its section: close the list.
    // (hidden, not emptied: a link taken out of the page would not be followed)
    list.addEventListener("click", () => {
      list.hidden = true;
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        input.value = "";
        show(list, [], "");
      }
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.book-search"), bind);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
