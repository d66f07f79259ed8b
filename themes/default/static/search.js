/* attache offline search.
 *
 * Reads the index that `attache build` writes under search/: the entry
 * file, then only the word chunks a query needs, then only the documents
 * it shows. No server beyond a static file host. The same file runs in
 * Node for the tests (module.exports) and in the page (window).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.AttacheSearch = factory();
    if (typeof document !== "undefined") {
      document.addEventListener("DOMContentLoaded", function () {
        var form = document.querySelector("form[data-index]");
        if (form) root.AttacheSearch.attach(form);
      });
    }
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var VERSION = 7;
  var MAX_WORD = 40;
  var MAX_EXPANSIONS = 64;
  var MAX_PREFIX_CHUNKS = 2;
  // Keep in step with src/search/tokenize.rs.
  var STOP_WORDS_EN = new Set(("a about after all also an and any are as at be been but by can could did do does " +
    "for from had has have he her his how i if in into is it its may more most not of on or other our out over " +
    "she should so some such than that the their them then there these they this those through to under up was " +
    "we were what when where which while who will with would you your").split(" "));
  var SPLIT = /[^\p{Alphabetic}\p{N}]+/u;
  // Scripts written without spaces (Han, hiragana, katakana): indexed as
  // overlapping pairs of characters, as src/search/tokenize.rs does.
  var UNSPACED = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2ffff}]+/gu;

  /** `w` with its runs of unspaced scripts as pairs of characters. */
  function pairs(w) {
    var out = [], last = 0, m;
    UNSPACED.lastIndex = 0;
    while ((m = UNSPACED.exec(w))) {
      if (m.index > last) out.push(w.slice(last, m.index));
      var chars = Array.from(m[0]);
      for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      last = m.index + m[0].length;
    }
    if (last < w.length) out.push(w.slice(last));
    return out;
  }

  /** The index words of `text`, as the Rust tokenizer makes them. */
  function words(text, stopWords) {
    var out = [];
    text.toLowerCase().split(SPLIT).forEach(function (token) {
      pairs(token).forEach(function (w) {
        var length = Array.from(w).length;
        if (length >= 2 && length <= MAX_WORD && !(stopWords && STOP_WORDS_EN.has(w))) out.push(w);
      });
    });
    return out;
  }

  /** Compares by code point, as Rust orders the words. */
  function compare(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }

  function Index(entryUrl, fetchJson) {
    this.base = entryUrl.replace(/index\.json$/, "");
    this.fetchJson = fetchJson;
    this.cache = new Map();
  }

  Index.prototype.load = function (path) {
    if (!this.cache.has(path)) {
      this.cache.set(path, this.fetchJson(this.base + path));
    }
    return this.cache.get(path);
  };

  Index.prototype.entry = function () {
    var self = this;
    return this.load("index.json").then(function (entry) {
      if (entry.version !== VERSION) throw new Error("search index version " + entry.version + " is not supported");
      self.stopWords = /^en/i.test(entry.language || "");
      return entry;
    });
  };

  /** Chunk numbers that may hold `word` (or, with `prefix`, words starting with it). */
  function chunksFor(chunks, word, prefix) {
    var lo = 0, hi = chunks.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(chunks[mid][1], word) < 0) lo = mid + 1; else hi = mid;
    }
    var out = [];
    for (var i = lo; i < chunks.length; i++) {
      var first = chunks[i][0];
      if (prefix ? !(first.startsWith(word) || compare(first, word) <= 0) : compare(first, word) > 0) break;
      out.push(i);
    }
    return out;
  }

  /** Postings of a word, or of every word it is a prefix of: Map(ref → weight). */
  Index.prototype.postings = function (entry, word, prefix) {
    var self = this;
    // A short prefix can span many chunks; the nearest words are enough.
    // A word's postings are in the base chunks, the recent ones (the
    // newest documents of kinds by date) and the named ones (kinds listed
    // by title).
    var names = [];
    [entry.chunks, entry.recent || [], entry.named || []].forEach(function (chunks) {
      chunksFor(chunks, word, prefix).slice(0, prefix ? MAX_PREFIX_CHUNKS : undefined).forEach(function (n) {
        names.push(chunks[n][2]);
      });
    });
    return Promise.all(names.map(function (name) { return self.load("words/" + name + ".json"); }))
      .then(function (loaded) {
        var result = new Map();
        var expansions = 0;
        loaded.forEach(function (chunk) {
          Object.keys(chunk).forEach(function (w) {
            if (prefix ? !w.startsWith(word) : w !== word) return;
            if (prefix && ++expansions > MAX_EXPANSIONS) return;
            var flat = chunk[w], ref = 0;
            for (var i = 0; i < flat.length; i += 2) {
              ref += flat[i];
              result.set(ref, Math.max(result.get(ref) || 0, flat[i + 1]));
            }
          });
        });
        return result;
      });
  };

  /**
   * Finds `query`. Every word must match; the last one (being typed) and any
   * word with no exact match count as prefixes. `options.kind` keeps one
   * kind. Resolves to { total, results: [{ id, kind, score, doc, snippet }] }.
   */
  Index.prototype.search = function (query, options) {
    var self = this;
    options = options || {};
    var limit = options.limit || 20;
    return this.entry().then(function (entry) {
      var terms = Array.from(new Set(words(query, self.stopWords)));
      if (terms.length === 0) return { total: 0, results: [], terms: [] };
      var kindCount = entry.kinds.length;
      var kindNumber = options.kind ? entry.kinds.findIndex(function (k) { return k[0] === options.kind; }) : -1;
      return Promise.all(terms.map(function (term, i) {
        var last = i === terms.length - 1;
        return self.postings(entry, term, last).then(function (exact) {
          return exact.size > 0 || last ? exact : self.postings(entry, term, true);
        });
      })).then(function (lists) {
        var scores = null;
        lists.forEach(function (list) {
          var idf = Math.log(1 + entry.documents / Math.max(1, list.size));
          var next = new Map();
          list.forEach(function (weight, ref) {
            if (kindNumber >= 0 && ref % kindCount !== kindNumber) return;
            if (scores === null || scores.has(ref)) next.set(ref, (scores ? scores.get(ref) : 0) + weight * idf);
          });
          scores = next;
        });
        var ranked = Array.from(scores.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        var shown = ranked.slice(0, limit);
        return Promise.all(shown.map(function (pair) {
          // A document is a place in its kind; places come several to a
          // file: `packs[kind]` of them, in order (null where a place has
          // no document).
          var id = Math.floor(pair[0] / kindCount);
          var kindNo = pair[0] % kindCount;
          var kindName = entry.kinds[kindNo][0];
          var pack = entry.packs[kindNo];
          return self.load("docs/" + kindName + "/" + Math.floor(id / pack) + ".json").then(function (docs) {
            var doc = docs[id % pack];
            return {
              id: id,
              kind: entry.kinds[pair[0] % kindCount],
              score: pair[1],
              doc: doc,
              snippet: snippet(doc.text, terms),
            };
          });
        })).then(function (results) {
          return { total: ranked.length, results: results, terms: terms };
        });
      });
    });
  };

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** About 200 characters of `text` around the first match, as HTML with <mark>s. */
  function snippet(text, terms) {
    if (!text) return "";
    // A word starts after a non-letter; a pair of ideographs anywhere.
    var unspaced = terms.filter(function (t) { UNSPACED.lastIndex = 0; return UNSPACED.test(t); });
    var start = "(^|[^\\p{Alphabetic}\\p{N}]" + (unspaced.length ? "|(?=(?:" + unspaced.map(escapeRegExp).join("|") + ")))" : ")");
    var pattern = new RegExp(start + "((?:" + terms.map(escapeRegExp).join("|") + ")[\\p{Alphabetic}\\p{N}]*)", "giu");
    var first = pattern.exec(text);
    var at = first ? first.index + first[1].length : 0;
    var start = Math.max(0, at - 80);
    var end = Math.min(text.length, at + 120);
    // Cut at spaces, not inside words.
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space !== -1 && space < at) start = space + 1;
    }
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > at) end = back;
    }
    // The text has a line per block (heading, paragraph, list item): keep
    // them apart, or a heading runs into the paragraph under it.
    var piece = text.slice(start, end).replace(/\s*\n\s*/g, " · ").replace(/\s+/g, " ");
    var html = "";
    var last = 0;
    pattern.lastIndex = 0;
    var m;
    while ((m = pattern.exec(piece)) !== null) {
      var from = m.index + m[1].length;
      html += escapeHtml(piece.slice(last, from)) + "<mark>" + escapeHtml(m[2]) + "</mark>";
      last = from + m[2].length;
      if (m[0].length === 0) pattern.lastIndex++;
    }
    html += escapeHtml(piece.slice(last));
    return (start > 0 ? "… " : "") + html.trim() + (end < text.length ? " …" : "");
  }

  /**
   * The search page's words in its language, from the form's data-*
   * attributes (the theme's string tables); English where one is missing.
   */
  var ENGLISH = {
    searching: "Searching…",
    none: "No results for “{query}”.",
    one: "1 result for “{query}”.",
    many: "{count} results for “{query}”.",
    unavailable: "Search is unavailable:",
    by: "by {names}",
    and: " and ",
    months: "January,February,March,April,May,June,July,August,September,October,November,December",
    monthsShort: "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
    dateDay: "%-d %B %Y",
    dateMonth: "%B %Y"
  };

  function wordsOf(data) {
    var out = {};
    Object.keys(ENGLISH).forEach(function (key) {
      out[key] = data && data[key] ? data[key] : ENGLISH[key];
    });
    return out;
  }

  /** `text` with each {name} of `fill` written in. */
  function say(text, fill) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(fill, name) ? String(fill[name]) : whole;
    });
  }

  /**
   * A date of the index (`2025-06-10`, or `2025-06` for a month) in the
   * page's format: the strftime codes the theme's tables use.
   */
  function formatDate(iso, words) {
    var m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso || "");
    if (!m) return iso || "";
    var w = wordsOf(words);
    var month = parseInt(m[2], 10);
    var day = m[3] ? parseInt(m[3], 10) : 1;
    var pad = function (n) { return n < 10 ? "0" + n : String(n); };
    var codes = {
      Y: m[1], m: m[2], "-m": String(month), d: pad(day), "-d": String(day),
      B: w.months.split(",")[month - 1] || "", b: w.monthsShort.split(",")[month - 1] || "",
      "%": "%"
    };
    return (m[3] ? w.dateDay : w.dateMonth).replace(/%(-?[YmdBb%])/g, function (whole, code) {
      return Object.prototype.hasOwnProperty.call(codes, code) ? codes[code] : whole;
    });
  }

  /** The line under a result's title, after its kind: date and authors. */
  function meta(doc, words) {
    var w = wordsOf(words);
    var parts = [];
    if (doc.date) parts.push(formatDate(doc.date, w));
    var authors = doc.authors || [];
    if (authors.length) {
      var names = authors.length === 1 ? authors[0]
        : authors.slice(0, -1).join(", ") + w.and + authors[authors.length - 1];
      parts.push(say(w.by, { names: names }));
    }
    return parts.join(" · ");
  }

  /** Wires the search page: live results as you type, the kind filter, ?q= links. */
  function attach(form) {
    var input = form.querySelector("input[name=q]");
    var status = document.querySelector(".search-status");
    var list = document.querySelector(".search-results");
    var more = document.querySelector(".search-more");
    var w = wordsOf(form.dataset);
    var index = new Index(form.getAttribute("data-index"), function (url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    });
    var limit = 20, sequence = 0, timer = null;

    function kind() {
      var checked = form.querySelector("input[name=kind]:checked");
      return checked ? checked.value : "";
    }

    function remember(q, k) {
      var params = new URLSearchParams();
      if (q) params.set("q", q);
      if (k) params.set("kind", k);
      var search = params.toString();
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    }

    function show(found) {
      list.textContent = "";
      found.results.forEach(function (r) {
        var item = document.createElement("li");
        item.className = "summary-item search-result";
        var link = document.createElement("a");
        link.className = "summary-title";
        link.href = r.doc.url;
        link.textContent = r.doc.title;
        var metaLine = document.createElement("span");
        metaLine.className = "summary-meta";
        var label = document.createElement("span");
        label.className = "kind";
        label.textContent = r.kind[1];
        metaLine.appendChild(label);
        var line = meta(r.doc, w);
        metaLine.appendChild(document.createTextNode(line ? " " + line : ""));
        var text = document.createElement("p");
        text.className = "summary-text";
        text.innerHTML = r.snippet; // built from escaped text
        item.appendChild(link);
        item.appendChild(metaLine);
        item.appendChild(text);
        list.appendChild(item);
      });
      more.hidden = found.total <= found.results.length;
    }

    function run() {
      var q = input.value.trim();
      var k = kind();
      remember(q, k);
      var mine = ++sequence;
      if (!q) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        return;
      }
      status.textContent = w.searching;
      index.search(q, { kind: k, limit: limit }).then(function (found) {
        if (mine !== sequence) return;
        var said = found.total === 0 ? w.none : found.total === 1 ? w.one : w.many;
        status.textContent = say(said, { query: q, count: found.total });
        show(found);
      }, function (error) {
        if (mine !== sequence) return;
        status.textContent = w.unavailable + " " + error.message;
      });
    }

    input.addEventListener("input", function () {
      limit = 20;
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    form.addEventListener("change", function (e) {
      if (e.target.name === "kind") { limit = 20; run(); }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      run();
    });
    more.addEventListener("click", function () {
      limit += 20;
      run();
    });

    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var wanted = params.get("kind") || "";
    form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.checked = radio.value === wanted; });
    if (input.value) run();
  }

  return {
    Index: Index, words: words, compare: compare, snippet: snippet, meta: meta,
    formatDate: formatDate, attach: attach
  };
});
