/* briefgen search over a sharded index (see briefgen/render/search_index.py).
   First load: search/manifest.json only. For each query word the script fetches the
   term list of its first two letters, picks the word itself, a few completions and,
   if the word has 4 letters or more and is not in the list, the terms one edit away
   (a letter added, dropped, changed, or two swapped, after the second letter), then
   fetches only those terms' postings files. The newest briefings (those not yet
   sealed into the index's blocks) are in one small recent file per first letter,
   which the script reads alongside. Every word must match; a match counts
   by where: title 10, actor name 8, topic or figure 5, dek or gist 2, times 1 for the
   word itself, 0.7 for a completion, 0.5 for a typo. Ties go to the newer briefing.
   Filters: topic and actor (one small file of ids each, plus the recent ids), dates (an id range: ids are
   in date order). Results show 20 at a time; their titles and deks come from small
   document chunks. All text goes into the page through textContent.
   Keyboard: Down from the box moves into the results, Up/Down move between them,
   Home/End jump, Enter opens (a link), Escape returns to the box. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-manifest]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var listTitle = document.getElementById("search-results-title");
  var entities = document.getElementById("search-entities");
  var entitiesTitle = document.getElementById("search-entities-title");
  var more = document.getElementById("search-more");
  var filters = document.getElementById("search-filters");
  var topicBox = document.getElementById("search-topic");
  var actorBox = document.getElementById("search-actor");
  var fromBox = document.getElementById("search-from");
  var toBox = document.getElementById("search-to");
  var fallback = document.getElementById("search-nojs");
  var root = form.getAttribute("data-root") || "";
  var PAGE = 20, ENTITY_LIMIT = 5, COMPLETIONS = 4, TYPOS = 3, MIN_TYPO = 4;
  var TIER_WEIGHTS = [2, 5, 8, 10];   // dek or gist, topic or figure, actor, title
  var manifest = null, prefixes = null, recentLetters = null, stop = null, facets = null;
  var cache = {};      // url -> promise of parsed JSON
  var shown = [], hits = [], words = [], matched = new Set(), generation = 0;

  fallback.hidden = true;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function queryWords(query) {
    return fold(query).split(" ").filter(function (w) {
      return w.length > 1 && !stop.has(w);
    });
  }

  function fileKey(text) {
    if (/^[a-z0-9][a-z0-9-]*$/.test(text)) return text;
    var bytes = new TextEncoder().encode(text), hex = "x";
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return hex;
  }

  function load(path) {
    var url = root + path;
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  // Optimal string alignment distance, stopping early past 1.
  function withinOne(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var prev2 = null, prev = [], row, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var least = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        row.push(d);
        if (d < least) least = d;
      }
      if (least > 1) return false;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length] <= 1;
  }

  // The terms a query word stands for: [[term, postings key, quality], ...].
  function candidates(word, terms) {
    var found = [];
    if (Object.prototype.hasOwnProperty.call(terms, word)) found.push([word, terms[word], 1]);
    var names = Object.keys(terms);
    var longer = names.filter(function (t) { return t.length > word.length && t.indexOf(word) === 0; })
      .sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
    longer.slice(0, COMPLETIONS).forEach(function (t) { found.push([t, terms[t], 0.7]); });
    if (!found.length && word.length >= MIN_TYPO) {
      names.filter(function (t) { return t.length >= MIN_TYPO - 1 && withinOne(word, t); })
        .sort().slice(0, TYPOS).forEach(function (t) { found.push([t, terms[t], 0.5]); });
    }
    return found;
  }

  // The terms of a two-letter prefix, sealed (term -> postings key) and recent
  // (term -> postings of the briefings not yet sealed).
  function termsOf(prefix) {
    var sealed = prefixes.has(prefix) ?
      load("search/terms/" + fileKey(prefix) + ".json") : Promise.resolve({});
    var letter = fileKey(prefix.charAt(0));
    var recent = recentLetters.has(letter) ?
      load("search/recent/" + letter + ".json") : Promise.resolve({});
    return Promise.all([sealed, recent]).then(function (got) {
      var terms = Object.assign({}, got[0]);
      Object.keys(got[1]).forEach(function (t) {
        if (t.slice(0, 2) === prefix && !Object.prototype.hasOwnProperty.call(terms, t)) terms[t] = "";
      });
      return { terms: terms, recent: got[1] };
    });
  }

  function addScores(scores, codes, quality) {
    var id = 0;
    for (var k = 0; k < codes.length; k++) {
      id += Math.floor(codes[k] / 4);
      var value = TIER_WEIGHTS[codes[k] % 4] * quality;
      if (!(scores.get(id) >= value)) scores.set(id, value);
    }
  }

  // id -> score for one query word, from its terms' postings.
  function wordScores(word) {
    return termsOf(word.slice(0, 2)).then(function (found) {
      var picked = candidates(word, found.terms);
      return Promise.all(picked.map(function (c) {
        return c[1] ? load("search/postings/" + c[1] + ".json") : Promise.resolve({});
      })).then(function (files) {
        var scores = new Map();
        picked.forEach(function (c, n) {
          addScores(scores, files[n][c[0]] || [], c[2]);
          addScores(scores, found.recent[c[0]] || [], c[2]);
        });
        return { scores: scores, terms: picked.map(function (c) { return c[0]; }) };
      });
    });
  }

  function decodeIds(codes) {
    var ids = new Set(), id = 0;
    for (var k = 0; k < codes.length; k++) { id += codes[k]; ids.add(id); }
    return ids;
  }

  // The date as search/days.json counts days (1 January of year 1 is day 1).
  function ordinal(iso) {
    var parts = iso.split("-").map(Number);
    var date = new Date(0);
    date.setUTCFullYear(parts[0], parts[1] - 1, parts[2]);
    return Math.round((date.getTime() - Date.UTC(1970, 0, 1)) / 86400000) + 719163;
  }

  // Resolves to [first id, last id + 1) of the briefings dated within the filter, or null.
  function dateRange() {
    var from = fromBox.value, to = toBox.value;
    if (!from && !to) return Promise.resolve(null);
    return load("search/days.json").then(function (days) {
      var low = from ? ordinal(from) : -Infinity, high = to ? ordinal(to) : Infinity;
      var first = 0, end = 0, day = 0, at = 0;
      for (var k = 0; k < days.length; k += 2) {
        day += days[k];
        if (day < low) first = at + days[k + 1];
        if (day <= high) end = at + days[k + 1];
        at += days[k + 1];
      }
      return [first, Math.max(first, end)];
    });
  }

  function restrictions() {
    var wanted = [];
    if (topicBox.value) wanted.push(["t", topicBox.value]);
    if (actorBox.value) wanted.push(["a", actorBox.value]);
    if (!wanted.length) return Promise.resolve([]);
    var recent = load("search/recent/filters.json");
    return Promise.all(wanted.map(function (w) {
      return Promise.all([load("search/filters/" + w[0] + "-" + fileKey(w[1]) + ".json"), recent])
        .then(function (got) {
          var ids = decodeIds(got[0]);
          decodeIds(got[1][w[0]][w[1]] || []).forEach(function (id) { ids.add(id); });
          return ids;
        });
    }));
  }

  function search(query) {
    words = queryWords(query);
    if (!words.length) return Promise.resolve({ hits: [], terms: [] });
    var wanted = [Promise.all(words.map(wordScores)), restrictions(), dateRange()];
    return Promise.all(wanted).then(function (got) {
      return ranked(got[0], got[1], got[2]);
    });
  }

  // Briefings every word matched, within the filters, best first.
  function ranked(per, sets, range) {
    per.sort(function (a, b) { return a.scores.size - b.scores.size; });
    var found = [];
    per[0].scores.forEach(function (value, id) {
      if (range && (id < range[0] || id >= range[1])) return;
      for (var s = 0; s < sets.length; s++) if (!sets[s].has(id)) return;
      var total = value;
      for (var w = 1; w < per.length; w++) {
        var other = per[w].scores.get(id);
        if (other === undefined) return;
        total += other;
      }
      found.push({ id: id, score: total });
    });
    found.sort(function (a, b) { return b.score - a.score || b.id - a.id; });
    var terms = [];
    per.forEach(function (p) { terms = terms.concat(p.terms); });
    return { hits: found, terms: terms };
  }

  // Text with the words whose folded form is in ``matched`` wrapped in <mark>.
  function highlighted(parent, text, matched) {
    var parts = String(text).split(/([\p{L}\p{N}]+)/u);
    parts.forEach(function (part, n) {
      if (!part) return;
      if (n % 2 === 1 && matched.has(fold(part))) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  function formatDate(iso) {
    var parts = iso.split("-").map(Number);
    var months = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"];
    return parts[2] + " " + months[parts[1] - 1] + " " + parts[0];
  }

  function resultItem(doc, matched) {
    var item = document.createElement("li");
    item.className = "search__result";
    var link = document.createElement("a");
    link.className = "search__link";
    link.href = root + "briefings/" + encodeURIComponent(doc[0]) + "/";
    highlighted(link, doc[1], matched);
    var date = document.createElement("time");
    date.className = "search__date";
    date.dateTime = doc[2];
    date.textContent = formatDate(doc[2]);
    item.appendChild(link);
    item.appendChild(date);
    if (doc[3]) {
      var dek = document.createElement("p");
      dek.className = "search__dek";
      highlighted(dek, doc[3], matched);
      item.appendChild(dek);
    }
    return item;
  }

  // Appends the next page of results; resolves when they are in the list.
  function showMore(mine) {
    var page = hits.slice(shown.length, shown.length + PAGE);
    var chunk = manifest.chunk;
    var files = {};
    page.forEach(function (hit) { files[Math.floor(hit.id / chunk)] = true; });
    var keys = Object.keys(files);
    return Promise.all(keys.map(function (k) { return load("search/docs/" + k + ".json"); }))
      .then(function (chunks) {
        if (mine !== generation) return;
        var byKey = {};
        keys.forEach(function (k, n) { byKey[k] = chunks[n]; });
        page.forEach(function (hit) {
          var doc = byKey[Math.floor(hit.id / chunk)][hit.id % chunk];
          shown.push(hit);
          list.appendChild(resultItem(doc, matched));
        });
        more.hidden = shown.length >= hits.length;
      });
  }

  function entityMatches(names) {
    var own = fold(names).split(" ");
    return words.every(function (w) {
      return own.some(function (o) {
        return o.indexOf(w) === 0 || (w.length >= MIN_TYPO && withinOne(w, o));
      });
    });
  }

  // An actor's or topic's entry: its name as the link, then its other names if any.
  function entityItem(href, names, note, marks) {
    var item = document.createElement("li");
    item.className = "search__entity";
    var all = names.split(" / ");
    var link = document.createElement("a");
    link.className = "search__link";
    link.href = root + href;
    highlighted(link, all[0], marks);
    item.appendChild(link);
    if (all.length > 1) {
      var also = document.createElement("span");
      also.className = "search__aliases";
      highlighted(also, "also " + all.slice(1).join(", "), marks);
      item.appendChild(also);
    }
    var kind = document.createElement("span");
    kind.className = "search__kind";
    kind.textContent = note;
    item.appendChild(kind);
    return item;
  }

  function briefings(count) {
    return count + (count === 1 ? " briefing" : " briefings");
  }

  function showEntities() {
    entities.textContent = "";
    var found = [];
    if (facets && words.length) {
      facets.actors.forEach(function (a) {
        if (entityMatches(a[1])) found.push([a[3], "actors/" + encodeURIComponent(a[0]) + "/",
                                             a[1], (a[2] ? a[2] + " · " : "") + briefings(a[3])]);
      });
      facets.topics.forEach(function (t) {
        if (entityMatches(t[1])) found.push([t[2], "topics/" + encodeURIComponent(t[0]) + "/",
                                             t[1], "topic · " + briefings(t[2])]);
      });
    }
    found.sort(function (a, b) { return b[0] - a[0]; });
    found.slice(0, ENTITY_LIMIT).forEach(function (e) {
      // A name matched by a completion or typo is marked whole, like the briefings.
      var marks = new Set(fold(e[2]).split(" ").filter(function (o) {
        return words.some(function (w) { return o.indexOf(w) === 0 || withinOne(w, o); });
      }));
      entities.appendChild(entityItem(e[1], e[2], e[3], marks));
    });
    entitiesTitle.hidden = !entities.children.length;
    return Math.min(found.length, ENTITY_LIMIT);
  }

  function announce(query, entityCount) {
    var text;
    if (!hits.length && !entityCount) text = "Nothing matches “" + query.trim() + "”.";
    else {
      text = (hits.length === 1 ? "1 briefing matches" : hits.length + " briefings match");
      if (entityCount) text += ", and " + entityCount + (entityCount === 1 ? " person, organisation or topic" : " people, organisations or topics");
      text += hits.length > shown.length ? "; showing the first " + shown.length + "." : ".";
    }
    status.textContent = text;
  }

  function update() {
    var query = input.value, mine = ++generation;
    if (!manifest) return;
    saveState(query);
    if (!queryWords(query).length) {
      list.removeAttribute("aria-busy");
      hits = []; shown = []; words = [];
      list.textContent = ""; entities.textContent = "";
      listTitle.hidden = entitiesTitle.hidden = more.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    list.setAttribute("aria-busy", "true");
    Promise.all([search(query), loadFacets()]).then(function (got) {
      if (mine !== generation) return null;
      hits = got[0].hits;
      shown = [];
      list.textContent = "";
      matched = new Set(got[0].terms);
      var entityCount = showEntities();
      listTitle.hidden = !hits.length;
      return showMore(mine).then(function () {
        if (mine !== generation) return;
        list.removeAttribute("aria-busy");
        announce(query, entityCount);
      });
    }).catch(function () {
      if (mine !== generation) return;
      list.removeAttribute("aria-busy");
      status.textContent = "The search index could not be loaded.";
      fallback.hidden = false;
      fallback.classList.add("search__nojs--on");
    });
  }

  function loadFacets() {
    return load("search/facets.json").then(function (data) {
      if (facets) return data;
      facets = data;
      facets.topics.forEach(function (t) { topicBox.add(new Option(t[1], t[0])); });
      facets.actors.slice().sort(function (a, b) { return a[1].localeCompare(b[1]); })
        .forEach(function (a) { actorBox.add(new Option(a[1].split(" / ")[0], a[0])); });
      var params = new URLSearchParams(window.location.search);
      topicBox.value = params.get("topic") || "";
      actorBox.value = params.get("actor") || "";
      return data;
    });
  }

  function saveState(query) {
    var url = new URL(window.location.href);
    [["q", query.trim() ? query : ""], ["topic", topicBox.value], ["actor", actorBox.value],
     ["from", fromBox.value], ["to", toBox.value]].forEach(function (pair) {
      if (pair[1]) url.searchParams.set(pair[0], pair[1]); else url.searchParams.delete(pair[0]);
    });
    window.history.replaceState(null, "", url);
  }

  function links() {
    return Array.prototype.slice.call(document.querySelectorAll(
      "#search-entities a.search__link, #search-results a.search__link"));
  }

  input.addEventListener("input", update);
  [topicBox, actorBox, fromBox, toBox].forEach(function (box) {
    box.addEventListener("change", update);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  more.addEventListener("click", function () {
    var first = shown.length;
    showMore(generation).then(function () {
      var all = list.querySelectorAll("a.search__link");
      if (all[first]) all[first].focus();
      announce(input.value, entities.children.length);
    });
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
  function onListKey(event) {
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
  }
  list.addEventListener("keydown", onListKey);
  entities.addEventListener("keydown", onListKey);

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  fromBox.value = params.get("from") || "";
  toBox.value = params.get("to") || "";
  load("search/manifest.json")
    .then(function (data) {
      manifest = data;
      prefixes = new Set(data.terms);
      recentLetters = new Set(data.recent || []);
      stop = new Set(data.stop);
      filters.hidden = false;
      filters.addEventListener("focusin", function () { loadFacets().catch(function () {}); });
      if (input.value || params.get("topic") || params.get("actor")) update();
    })
    .catch(function () {
      status.textContent = "The search index could not be loaded.";
      fallback.hidden = false;
      fallback.classList.add("search__nojs--on");
      filters.classList.add("search__filters--off");
    });
})();
