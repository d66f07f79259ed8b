// End-to-end tests of the default theme in headless Chromium, driven by
// playwright-core, with axe-core for accessibility. Run by
// tests/browser.rs (which builds attache first):
//
//   node tests/browser/run.js ATTACHE_BINARY SITE_DIR ARTIFACTS_DIR
//
// SITE_DIR is a copy of the example site that this script may edit.
// Screenshots go to ARTIFACTS_DIR. The dev server runs on a free loopback
// port and is always stopped.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const { chromium } = require("playwright-core");

const [binary, site, artifacts] = process.argv.slice(2);
if (!binary || !site || !artifacts) {
  console.error("usage: node run.js ATTACHE_BINARY SITE_DIR ARTIFACTS_DIR");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const BRIEF = "content/briefs/pakistan-courts-japanese-investment-in-minerals.md";

let serverLog = "";
const failures = [];
let passed = 0;
async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split("\n").join("\n     ")}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/// Starts `attache serve` on a free port; resolves with its URL.
function startServer() {
  const child = spawn(binary, ["serve", "--root", site, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  // What the server says is kept, and shown only when a check fails.
  child.stderr.on("data", (d) => { serverLog += d; });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const url = (line.match(/http:\/\/127\.0\.0\.1:\d+\//) || [])[0];
      url ? resolve({ child, url }) : reject(new Error(`no URL in: ${line}`));
    });
    child.once("exit", (code) => reject(new Error(`attache serve exited with ${code}`)));
  });
}

/// Runs axe-core on the open page; fails on serious or critical findings.
async function axe(page, what) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert(
    bad.length === 0,
    `${what}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`).join("; ")}`,
  );
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const { child, url } = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    const shot = (name, options = {}) =>
      page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true, ...options });

    await check("home → brief → agency → back through its backlink", async () => {
      await page.goto(url);
      assert((await page.title()).includes("Pakistan–Japan Trade Desk"), await page.title());
      await shot("home");
      await page.click('#latest-heading ~ .summary-list a.summary-title[href$="/pakistan-courts-japanese-investment-in-minerals/"]');
      const briefUrl = page.url();
      assert(briefUrl.includes("/briefs/"), briefUrl);
      await shot("brief");
      await page.click('.references a[href="/agencies/jica/"]');
      assert(page.url().endsWith("/agencies/jica/"), page.url());
      await shot("agency");
      // The agency lists the brief among what mentions it.
      const back = page.locator(`#backlinks-briefs ~ .summary-list a[href="${new URL(briefUrl).pathname}"]`);
      await back.click();
      assert(page.url() === briefUrl, `${page.url()} != ${briefUrl}`);
    });

    await check("search finds the brief, and filtering by kind narrows it", async () => {
      await page.goto(new URL("search/?q=minerals", url).href);
      const results = page.locator(".search-results li");
      await results.first().waitFor({ timeout: 10000 });
      const all = await results.count();
      assert(all > 1, `only ${all} results`);
      const text = await page.locator("main").innerText();
      assert(text.includes("Pakistan courts Japanese investment"), text.slice(0, 500));
      const status = await page.locator(".search-status").innerText();
      assert(/^\d+ results for “minerals”\.$/.test(status), status);
      assert(/\d{1,2} [A-Z][a-z]+ \d{4}/.test(text), "a date in words: " + text.slice(0, 500));
      // Only briefings: the sectors named "Minerals" go.
      await page.check('.search-kinds input[value="briefs"]');
      await page.waitForFunction((before) => {
        const items = document.querySelectorAll(".search-results li");
        return items.length > 0 && items.length < before;
      }, all, { timeout: 10000 });
      await shot("search");
    });

    await check("the Japanese search finds a translation by a two-character word", async () => {
      await page.goto(new URL("ja/search/?q=" + encodeURIComponent("鉱物"), url).href);
      const results = page.locator(".search-results li");
      await results.first().waitFor({ timeout: 10000 });
      const text = await page.locator(".search-results").innerText();
      assert(text.includes("パキスタン、鉱物分野への日本の投資を呼びかけ"), text.slice(0, 500));
      const href = await results.first().locator("a").first().getAttribute("href");
      assert(href.startsWith("/ja/"), href);
      // The page's own words: the status line and the dates in Japanese.
      const status = await page.locator(".search-status").innerText();
      assert(/^「鉱物」の検索結果：\d+件$/.test(status), status);
      const meta = await results.first().locator(".summary-meta").innerText();
      assert(/\d{4}年\d{1,2}月/.test(meta), meta);
      await shot("search-ja");
    });

    await check("the Japanese edition speaks Japanese: navigation, cards, headings", async () => {
      // The theme's own English words, none of which may show on a
      // Japanese page (the pages' own titles may be untranslated).
      const english = /\b(Agencies|Sectors|People|Countries|Briefings?|Meetings?|MEETING|AGENCY|BRIEFING|Follow|mentioning|attended|Upcoming|Nothing planned|Related|Latest|Search)\b/;
      for (const p of ["ja/", "ja/agencies/jica/", "ja/meetings/", "ja/briefs/", "ja/meetings/jica-tokyo-2025/"]) {
        await page.goto(new URL(p, url).href);
        const nav = await page.locator(".site-header nav").innerText();
        assert(nav.includes("機関") && nav.includes("分野"), `/${p} nav: ${nav}`);
        const text = await page.evaluate(() => {
          const clone = document.body.cloneNode(true);
          // Untranslated pages keep their titles: they are content.
          clone.querySelectorAll("[lang]:not([lang=ja]), script, .summary-title, .references a, .map a, title").forEach((e) => e.remove());
          return clone.innerText;
        });
        const found = text.match(english);
        assert(!found, `/${p} says “${found && found[0]}”: ${found && text.slice(Math.max(0, found.index - 80), found.index + 80)}`);
        if (p === "ja/") await shot("home-ja");
      }
    });

    await check("on a phone the Japanese agency page's pictures keep their words inside and readable", async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "ja-JP" });
      const p = await phone.newPage();
      await p.goto(new URL("ja/agencies/jica/", url).href);
      const pictures = await p.evaluate(() => {
        const inside = [...document.querySelectorAll("svg.chart-months, svg.map")].every((svg) => {
          const box = svg.getBoundingClientRect();
          return [...svg.querySelectorAll(".chart-label, .map-label")].filter((t) => t.getBoundingClientRect().width > 0).every((t) => {
            const r = t.getBoundingClientRect();
            return r.left >= box.left - 1 && r.right <= box.right + 1;
          });
        });
        const sizes = [...document.querySelectorAll(".map-label, .chart-months .chart-label")].filter((t) => t.getBoundingClientRect().width > 0)
          .map((t) => t.getBoundingClientRect().height);
        return { inside, smallest: Math.min(...sizes), count: sizes.length, width: document.documentElement.scrollWidth };
      });
      assert(pictures.count > 0, "no picture labels");
      assert(pictures.inside, "a label hangs outside its picture");
      assert(pictures.smallest >= 9, `a picture's label is ${pictures.smallest}px high`);
      assert(pictures.width <= 390, `the page is ${pictures.width}px wide`);
      await p.screenshot({ path: path.join(artifacts, "agency-ja-phone.png"), fullPage: true });
      await phone.close();
    });

    await check("dark mode follows the system", async () => {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(new URL("agencies/jica/", url).href);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert(bg === "rgb(20, 23, 26)", bg);
      await shot("agency-dark");
      await page.emulateMedia({ colorScheme: "light" });
    });

    await check("print hides the navigation and shows the text", async () => {
      await page.emulateMedia({ media: "print" });
      await page.goto(url);
      await page.click('#latest-heading ~ .summary-list a.summary-title[href$="/pakistan-courts-japanese-investment-in-minerals/"]');
      const hidden = await page.evaluate(() =>
        [".site-header nav", ".breadcrumbs", ".pager", ".site-footer"].every((s) => {
          const el = document.querySelector(s);
          return !el || getComputedStyle(el).display === "none";
        }));
      assert(hidden, "navigation is printed");
      const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      assert(font.includes("Georgia"), font);
      await shot("brief-print");
      await page.emulateMedia({ media: "screen" });
    });

    await check("a phone gets one column, facts before the text", async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      const p = await phone.newPage();
      await p.goto(url);
      await p.click("#latest-heading ~ .summary-list a.summary-title");
      const order = await p.evaluate(() => {
        const facts = document.querySelector(".page-facts").getBoundingClientRect();
        const text = document.querySelector(".content").getBoundingClientRect();
        return { factsAbove: facts.bottom <= text.top, width: document.documentElement.scrollWidth };
      });
      assert(order.factsAbove, "facts are not above the text");
      assert(order.width <= 390, `the page is ${order.width}px wide`);
      await p.screenshot({ path: path.join(artifacts, "brief-phone.png"), fullPage: true });
      await phone.close();
    });

    await check("the asks and offers filter in the browser, and JETRO's page says what is overdue", async () => {
      await page.goto(new URL("asks/", url).href);
      const rows = page.locator(".item-list .item-row");
      const visible = () => page.locator(".item-list .item-row:visible").count();
      const all = await rows.count();
      assert(all >= 7, `${all} items`);
      await page.selectOption('.item-filters select[name="party"]', "agencies/jetro");
      const jetro = await visible();
      assert(jetro > 0 && jetro < all, `${jetro} of ${all} for JETRO`);
      await page.check('.item-filters input[name="overdue"]');
      assert((await visible()) === 1, "one overdue ask of JETRO");
      assert(!(await page.locator(".item-sums").isVisible()), "no amount among them");
      await page.uncheck('.item-filters input[name="overdue"]');
      await page.selectOption('.item-filters select[name="party"]', "agencies/jica");
      const sums = await page.locator(".item-sums").textContent();
      assert(sums.includes("USD 11,000,000,000"), sums);
      await page.selectOption('.item-filters select[name="party"]', "agencies/jetro");
      await page.check('.item-filters input[name="overdue"]');
      assert(page.url().includes("party=agencies%2Fjetro") && page.url().includes("overdue=1"), page.url());
      await shot("asks");
      // The address keeps the choice: opened again, the list is filtered.
      await page.goto(page.url());
      assert((await visible()) === 1, "the filter kept in the address");
      await page.goto(new URL("agencies/jetro/", url).href);
      const items = page.locator("#items-heading ~ ul .item-row");
      assert((await items.first().getAttribute("data-overdue")) === "true", "the overdue ask first");
      await page.locator("section.items").screenshot({ path: path.join(artifacts, "agency-items.png") });
      await page.goto(new URL("asks/jetro-sez-promotion/", url).href);
      assert((await page.locator(".item-history li").count()) === 2, "raised, then updated");
      await shot("item");
    });

    await check("axe finds nothing serious on any kind of page", async () => {
      const paths = [
        "", "briefs/", "meetings/", "agencies/", "sectors/", "people/", "countries/", "search/",
        "agencies/jica/", "sectors/minerals/", "people/jam-kamal/", "countries/japan/",
        "meetings/jica-tokyo-2025/", "does-not-exist/", "asks/", "asks/jetro-sez-promotion/",
        "agencies/jetro/",
        "ja/", "ja/briefs/", "ja/meetings/jica-tokyo-2025/", "ja/agencies/jica/", "ja/search/",
      ];
      const brief = await page.goto(url).then(() =>
        page.getAttribute("#latest-heading ~ .summary-list a.summary-title", "href"));
      paths.push(brief.replace(/^\//, ""));
      for (const colorScheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme });
        for (const p of paths) {
          await page.goto(new URL(p, url).href);
          await axe(page, `/${p} (${colorScheme})`);
        }
      }
      await page.emulateMedia({ colorScheme: "light" });
    });

    await check("serve: an edit shows in the open page without a reload; errors come and go", async () => {
      await page.goto(url);
      await page.click('#latest-heading ~ .summary-list a.summary-title[href$="/pakistan-courts-japanese-investment-in-minerals/"]');
      await page.evaluate(() => { window.__stillHere = true; });
      const file = path.join(site, BRIEF);
      const original = fs.readFileSync(file, "utf8");
      const marker = `Marker ${Date.now()}.`;
      fs.writeFileSync(file, `${original}\n${marker}\n`);
      await page.waitForFunction((m) => document.body.innerText.includes(m), marker, { timeout: 15000 });
      assert(await page.evaluate(() => window.__stillHere === true), "the page reloaded");
      // Break the front matter: the overlay names the file.
      fs.writeFileSync(file, original.replace(/^title = .*$/m, "title = [unclosed"));
      const overlay = page.locator("#attache-overlay");
      await overlay.waitFor({ timeout: 15000 });
      const report = await overlay.innerText();
      assert(report.includes("pakistan-courts-japanese-investment-in-minerals.md"), report);
      await shot("error-overlay", { fullPage: false });
      // Fix it: the overlay goes, the marker too.
      fs.writeFileSync(file, original);
      await overlay.waitFor({ state: "detached", timeout: 15000 });
      await page.waitForFunction((m) => !document.body.innerText.includes(m), marker, { timeout: 15000 });
    });
  } finally {
    await browser.close();
    child.kill("SIGTERM");
  }
  if (failures.length) console.log(`\nattache serve said:\n${serverLog}`);
  console.log(`\n${passed} passed, ${failures.length} failed${failures.length ? `: ${failures.join("; ")}` : ""}`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
