// Runs the theme's search.js against a built site, the way a browser would,
// reading the index files from disk instead of over HTTP.
//
//   node tests/js/search_cli.js <public dir> <base path> <query> [kind]
//
// Prints JSON: { total, results: [{ title, url, kind, snippet }], fetched: [paths] }.
"use strict";
const fs = require("fs");
const path = require("path");
const search = require(path.join(__dirname, "../../themes/default/static/search.js"));

const [publicDir, basePath, query, kind] = process.argv.slice(2);
const fetched = [];
function fetchJson(url) {
  if (!url.startsWith(basePath)) return Promise.reject(new Error("outside the site: " + url));
  const rel = url.slice(basePath.length);
  fetched.push(rel);
  return fs.promises.readFile(path.join(publicDir, rel), "utf8").then(JSON.parse);
}

const index = new search.Index(basePath + "search/index.json", fetchJson);
index.search(query, { kind: kind || "", limit: 50 }).then((found) => {
  const results = found.results.map((r) => ({
    title: r.doc.title,
    url: r.doc.url,
    kind: r.kind[0],
    date: r.doc.date,
    meta: search.meta(r.doc),
    snippet: r.snippet,
  }));
  process.stdout.write(JSON.stringify({ total: found.total, results, fetched }));
}, (error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
