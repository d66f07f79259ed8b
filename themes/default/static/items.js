// Filters of the list of asks and offers: by status (or open), party,
// sector and overdue. Every row is in the page; a filter hides those it
// leaves out. The choice is kept in the address (?status=open&party=…),
// so a filtered list can be linked to.
(function () {
  "use strict";
  var form = document.querySelector(".item-filters");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".item-list .item-row"));
  var output = form.querySelector("output");
  var params = new URLSearchParams(window.location.search);
  ["status", "party", "sector"].forEach(function (name) {
    var field = form.elements[name];
    if (field && params.get(name)) field.value = params.get(name);
  });
  if (form.elements.overdue) form.elements.overdue.checked = params.get("overdue") === "1";

  function value(name) {
    var field = form.elements[name];
    return field ? field.value : "";
  }

  function apply() {
    var status = value("status");
    var party = value("party");
    var sector = value("sector");
    var overdue = form.elements.overdue && form.elements.overdue.checked;
    var shown = 0;
    rows.forEach(function (row) {
      var ok =
        (!status ||
          (status === "open" ? row.dataset.open === "true" : row.dataset.status === status)) &&
        (!party || row.dataset.parties.split(" ").indexOf(party) >= 0) &&
        (!sector || row.dataset.sectors.split(" ").indexOf(sector) >= 0) &&
        (!overdue || row.dataset.overdue === "true");
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    if (output) output.textContent = shown + " / " + rows.length;
    sums();
    var query = new URLSearchParams();
    if (status) query.set("status", status);
    if (party) query.set("party", party);
    if (sector) query.set("sector", sector);
    if (overdue) query.set("overdue", "1");
    var search = query.toString();
    history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  // The amounts of the rows shown, summed by currency (never converted).
  function sums() {
    var p = document.querySelector(".item-sums");
    if (!p) return;
    var totals = {};
    var floor = {};
    rows.forEach(function (row) {
      if (row.hidden || !row.dataset.currency) return;
      var c = row.dataset.currency;
      totals[c] = (totals[c] || 0) + Number(row.dataset.amount);
      floor[c] = floor[c] || row.dataset.atLeast === "true";
    });
    var parts = Object.keys(totals).sort().map(function (c) {
      var whole = Math.trunc(totals[c]).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      return (floor[c] ? p.dataset.atLeast + " " : "") + c + " " + whole;
    });
    p.hidden = parts.length === 0;
    // The total at the site's rates is of every item: hidden while some are.
    var total = document.querySelector(".item-total");
    if (total) total.hidden = rows.some(function (row) { return row.hidden; });
    p.textContent = p.dataset.label + " " + parts.join(p.dataset.separator);
  }

  form.addEventListener("change", apply);
  form.hidden = false;
  apply();
})();
