// Opens an HTML recap in headless Chromium (through playwright-core and the system
// browser) at 1280 and 390 px wide, light and dark. Fails on any request that is not
// file:, on any console or page error, and on layout faults: at 1280 px a table, figure
// or section wider than its card (horizontal overflow), or a model or file name broken
// across lines; at either width a caption cut off by its card, or a chart label rendered
// smaller than 9 px (a chart too small to read must give way to its table). Saves
// full-page screenshots (recap-WIDTH-SCHEME.png) and a print PDF.
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
const WIDTHS = [1280, 390];
/** The smallest chart label, in CSS pixels, that still reads. */
const MIN_LABEL_PX = 9;

/** Layout faults on the page, measured in the browser. */
function layoutFaults({ wide, minLabel }) {
  const faults = [];
  const name = (el) => {
    const s = el.closest("section");
    const h = s && s.querySelector("h2");
    const cap = el.querySelector && el.querySelector("caption, title");
    return `${h ? h.textContent : "page"}: <${el.tagName.toLowerCase()}>${cap ? ` "${cap.textContent.slice(0, 50)}"` : ""}`;
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  // Scripts that break between any two characters.
  const cjk = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u3000-\u303f\uff00-\uffef]/u;
  // Where `el`'s text wraps at a place it must not ("ab|cd" around the break), or null.
  const badBreak = (el) => {
    const path = el.classList.contains("path");
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let prev = null;
    let space = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const c = node.data[i];
        if (/\s/.test(c)) {
          space = true;
          continue;
        }
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getClientRects()[0];
        if (!r || r.width === 0) continue;
        if (prev && r.top > prev.top + prev.height / 2) {
          const ok = path && (space || /[/_-]/.test(prev.c) || cjk.test(prev.c) || cjk.test(c));
          if (!ok) return `${prev.c}|${c}`;
        }
        prev = { top: r.top, height: r.height, c };
        space = false;
      }
    }
    return null;
  };
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) {
    faults.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${document.documentElement.clientWidth} px)`);
  }
  for (const section of document.querySelectorAll("main section")) {
    const box = section.getBoundingClientRect();
    const cs = getComputedStyle(section);
    const right = box.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight) + 1;
    if (wide) {
      if (section.scrollWidth > section.clientWidth + 1) {
        faults.push(`${name(section)} overflows its card (${section.scrollWidth} > ${section.clientWidth} px)`);
      }
      for (const el of section.querySelectorAll("table, figure, svg, dl, p, ul")) {
        if (visible(el) && el.getBoundingClientRect().right > right) {
          faults.push(`${name(el)} runs past its card by ${Math.round(el.getBoundingClientRect().right - right)} px`);
        }
      }
      // Names in code (models, sessions) stay on one line; paths, commands and tool
      // names (code.path) break only after a "/", "_" or "-" (the `path` filter's <wbr>),
      // at a space, or in CJK text.
      for (const code of section.querySelectorAll("td code, th code")) {
        const at = visible(code) && badBreak(code);
        if (at) faults.push(`${name(code.closest("table"))}: "${code.textContent}" breaks inside a word at "${at}"`);
      }
    }
    // A caption is read where the card shows it: none of its text may lie outside the
    // card's visible box (a table that scrolls sideways takes its caption along).
    for (const cap of section.querySelectorAll("caption, figcaption")) {
      if (!visible(cap)) continue;
      const range = document.createRange();
      range.selectNodeContents(cap);
      const outside = [...range.getClientRects()].some((r) => r.width > 0 && (r.right > right || r.left < box.left));
      if (outside || cap.scrollWidth > cap.clientWidth + 1) {
        faults.push(`${name(cap.closest("table") || cap)}: caption cut off`);
      }
    }
  }
  // Chart labels: the SVG scales with the page, its text with it.
  for (const svg of document.querySelectorAll("main svg[viewBox]")) {
    if (!visible(svg)) continue;
    const vb = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / vb.width;
    for (const text of svg.querySelectorAll("text")) {
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < minLabel) {
        faults.push(`${name(svg)}: label "${text.textContent}" is ${px.toFixed(1)} px`);
        break;
      }
    }
  }
  return faults;
}

const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
try {
  for (const width of WIDTHS) {
    for (const colorScheme of ["light", "dark"]) {
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
      // Open every <details>, so the tables inside are measured too.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      const faults = await page.evaluate(layoutFaults, { wide: width >= 1000, minLabel: MIN_LABEL_PX });
      for (const f of new Set(faults)) problems.push(`${width} px ${colorScheme}: ${f}`);
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = false; }));
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
      await page.screenshot({ path: path.join(outdir, `recap-${width}-${colorScheme}.png`), fullPage: true });
      if (colorScheme === "light" && width === WIDTHS[0]) {
        await page.emulateMedia({ media: "print" });
        await page.pdf({ path: path.join(outdir, "recap-print.pdf"), format: "A4" });
      }
      await ctx.close();
    }
  }
} finally {
  await browser.close();
}
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`ok: ${url} at ${WIDTHS.join(" and ")} px, light and dark — no network requests, no console errors, no overflow, captions whole, labels ≥ ${MIN_LABEL_PX} px; screenshots in ${outdir}`);
