// Opens an HTML recap in headless Chromium (through playwright-core and the system
// browser) at 1280 and 390 px, light and dark; fails on any request that is not file:, on
// any console error or page error, and on a session section (drill-down) wider than its
// card; saves full-page screenshots of each plus a print PDF.
// Usage: node check.mjs REPORT.html OUTDIR [CHROMIUM]
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [report, outdir, exe = "/usr/bin/chromium"] = process.argv.slice(2);
if (!report || !outdir) {
  console.error("usage: node check.mjs REPORT.html OUTDIR [CHROMIUM]");
  process.exit(2);
}
const url = pathToFileURL(path.resolve(report)).href;
const problems = [];
const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
try {
  for (const [colorScheme, width] of [["light", 1280], ["dark", 1280], ["light", 390], ["dark", 390]]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
    await ctx.route("**/*", (route) => {
      const u = route.request().url();
      if (u.startsWith("file:")) return route.continue();
      problems.push(`network request blocked: ${u}`);
      return route.abort();
    });
    const page = await ctx.newPage();
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => {
      if (!r.url().startsWith("file:")) problems.push(`request failed: ${r.url()}`);
    });
    await page.goto(url, { waitUntil: "load" });
    const dark = await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches);
    if (dark !== (colorScheme === "dark")) problems.push(`prefers-color-scheme not ${colorScheme}`);
    // The sortable tables work: a header click sorts its column.
    const sorted = await page.evaluate(() => {
      const t = document.querySelector("table.sortable");
      if (!t) return true;
      t.tHead.rows[0].cells[0].click();
      return t.tHead.rows[0].cells[0].getAttribute("aria-sort") === "ascending";
    });
    if (!sorted) problems.push("sortable table did not sort");
    const h1 = await page.locator("h1").count();
    if (h1 !== 1) problems.push(`expected one h1, found ${h1}`);
    // Session sections fit their card: a chart scrolls inside its figure, tables shed
    // columns on small screens.
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("section.drill")]
        .filter((s) => s.scrollWidth > s.clientWidth + 1)
        .map((s) => `${s.id} ${s.scrollWidth}px in ${s.clientWidth}px`));
    for (const w of wide) problems.push(`${colorScheme} ${width}px: section ${w}`);
    await page.screenshot({ path: path.join(outdir, `recap-${colorScheme}-${width}.png`), fullPage: true });
    if (colorScheme === "light" && width === 1280) {
      await page.emulateMedia({ media: "print" });
      await page.pdf({ path: path.join(outdir, "recap-print.pdf"), format: "A4" });
    }
    await ctx.close();
  }
} finally {
  await browser.close();
}
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`ok: ${url} — no network requests, no console errors; screenshots in ${outdir}`);
