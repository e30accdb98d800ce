/* briefgen search: loads search/index.json and searches it in the browser.
   No dependencies. Each query word must match the start of a word somewhere in a
   briefing; matches in the title or an actor's name count most, then topics and
   figures, then the dek, the gist and (if indexed) the body. Ties go to the newer
   briefing, then to the index order (newest first, the fuller briefing first).
   A word matching in several fields earns a little more than one matching once.
   Keyboard: Down from the box moves into the results, Up/Down move between them,
   Home/End jump, Enter opens (a link), Escape returns to the box. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-index]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var fallback = document.getElementById("search-nojs");
  var root = form.getAttribute("data-root") || "";
  var LIMIT = 50;
  // Field weights, in the order of the prepared fields below.
  var WEIGHTS = [10, 10, 5, 5, 3, 2, 1]; // title, actors, topics, figures, dek, gist, body
  var docs = null;

  fallback.hidden = true;

  function fold(text) {
    return " " + String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  }

  function terms(query) {
    return fold(query).split(" ").filter(Boolean);
  }

  function prepare(index) {
    var actors = index.actors, topics = index.topics, labels = index.labels;
    return index.docs.map(function (d, position) {
      var actorNames = d[5].map(function (i) { return actors[i]; }).join(" ");
      var topicNames = d[7].map(function (i) { return topics[i]; }).join(" ");
      var figures = d[6].map(function (x) { return typeof x === "number" ? labels[x] : x; })
        .join(" ");
      return {
        slug: d[0], title: d[1], date: d[2], dek: d[3], position: position,
        fields: [fold(d[1]), fold(actorNames), fold(topicNames), fold(figures), fold(d[3]),
                 fold(d[4]), fold(d[8] || "")]
      };
    });
  }

  function score(doc, words) {
    var total = 0;
    for (var w = 0; w < words.length; w++) {
      var prefix = " " + words[w], best = 0, also = 0;
      for (var f = 0; f < doc.fields.length; f++) {
        if (doc.fields[f].indexOf(prefix) === -1) continue;
        var whole = doc.fields[f].indexOf(prefix + " ") !== -1;
        var value = WEIGHTS[f] + (whole ? 0.5 : 0);
        also += value;
        if (value > best) best = value;
      }
      if (!best) return 0; // every word must match somewhere
      // The best field counts in full; a tenth of the others' weight favours a
      // briefing that matches in its title and its cast over one that matches once.
      total += best + (also - best) / 10;
    }
    return total;
  }

  function search(query) {
    var words = terms(query);
    if (!words.length || !docs) return [];
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], words);
      if (s) hits.push({ doc: docs[i], score: s });
    }
    hits.sort(function (a, b) {
      return b.score - a.score || (a.doc.date < b.doc.date ? 1 : a.doc.date > b.doc.date ? -1 : 0)
        || a.doc.position - b.doc.position;
    });
    return hits;
  }

  function formatDate(iso) {
    var parts = iso.split("-").map(Number);
    var months = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"];
    return parts[2] + " " + months[parts[1] - 1] + " " + parts[0];
  }

  function render(query) {
    var hits = search(query);
    list.textContent = "";
    hits.slice(0, LIMIT).forEach(function (hit) {
      var doc = hit.doc;
      var item = document.createElement("li");
      item.className = "search__result";
      var link = document.createElement("a");
      link.className = "search__link";
      link.href = root + "briefings/" + encodeURIComponent(doc.slug) + "/";
      link.textContent = doc.title;
      var meta = document.createElement("time");
      meta.className = "search__date";
      meta.dateTime = doc.date;
      meta.textContent = formatDate(doc.date);
      item.appendChild(link);
      item.appendChild(meta);
      if (doc.dek) {
        var dek = document.createElement("p");
        dek.className = "search__dek";
        dek.textContent = doc.dek;
        item.appendChild(dek);
      }
      list.appendChild(item);
    });
    if (!query.trim()) {
      status.textContent = "";
    } else if (!hits.length) {
      status.textContent = "No briefings match “" + query.trim() + "”.";
    } else {
      status.textContent = hits.length + (hits.length === 1 ? " briefing matches" : " briefings match")
        + (hits.length > LIMIT ? "; showing the first " + LIMIT : "") + ".";
    }
  }

  function update() {
    var query = input.value;
    render(query);
    var url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set("q", query); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.search__link"));
  }

  input.addEventListener("input", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  input.addEventListener("keydown", function (event) {
    var all = links();
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[0].focus();
    } else if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      update();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at === -1) return;
    var next = null;
    if (event.key === "ArrowDown") next = all[Math.min(at + 1, all.length - 1)];
    else if (event.key === "ArrowUp") next = at === 0 ? input : all[at - 1];
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all[all.length - 1];
    else if (event.key === "Escape") next = input;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  input.value = new URLSearchParams(window.location.search).get("q") || "";
  status.textContent = "Loading the search index…";
  fetch(form.getAttribute("data-index"))
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (index) {
      docs = prepare(index);
      render(input.value);
      if (!input.value) status.textContent = "";
    })
    .catch(function () {
      status.textContent = "The search index could not be loaded.";
      fallback.hidden = false;
    });
})();
