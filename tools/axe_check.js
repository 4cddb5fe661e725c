// Check an HTML page against WCAG 2.1 A and AA with axe-core, in headless Chromium.
//
// Not part of the test suite or CI (which need neither node nor a browser): a check to
// run by hand after changing the HTML template, the style sheet or the Lua filter. See
// docs/operations.md, "Accessibility of the HTML" for how to install what it needs.
//
//   NODE_PATH=<folder>/node_modules node tools/axe_check.js build/report/report.html
//
// It loads the page as a file:// URL at 1280 and at 320 CSS px wide (WCAG 1.4.10 reflow:
// a box that scrolls only at the narrow width must take the keyboard's focus too), runs
// the rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa, then axe's best-practice rules,
// reported apart. For each violated rule it prints the rule, its impact, the number of
// elements and the first few of them; rules axe could not decide ("incomplete", e.g. the
// contrast of a table cell scrolled out of view) are listed with their count, to be
// checked by hand. The exit status is 1 when a WCAG rule is violated, else 0.
// CHROMIUM overrides the browser (default /usr/bin/chromium).

"use strict";

const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WIDTHS = [1280, 320];

async function audit(browser, url, width, axeSource) {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  await page.goto(url, { waitUntil: "load" });
  await page.evaluate(axeSource);
  const run = (tags) =>
    page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      tags,
    );
  const results = { wcag: await run(WCAG), bestPractice: await run(["best-practice"]) };
  await page.close();
  return results;
}

function report(title, result) {
  console.log(`  ${title}: ${result.violations.length} rule(s) violated`);
  for (const rule of result.violations) {
    console.log(`    ${rule.id} [${rule.impact}] ${rule.nodes.length} element(s): ${rule.help}`);
    for (const node of rule.nodes.slice(0, 5)) {
      console.log(`      ${node.target.join(" ")}: ${node.html.slice(0, 100).replace(/\s+/g, " ")}`);
    }
  }
  for (const rule of result.incomplete) {
    console.log(`    to check by hand: ${rule.id} ${rule.nodes.length} element(s): ${rule.help}`);
  }
}

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node tools/axe_check.js <page.html>");
    process.exit(2);
  }
  const url = "file://" + path.resolve(file);
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox"],
  });
  let failed = false;
  try {
    for (const width of WIDTHS) {
      const results = await audit(browser, url, width, axeSource);
      console.log(`${file} at ${width} CSS px (axe-core ${results.wcag.testEngine.version}):`);
      report("WCAG 2.1 A and AA", results.wcag);
      report("best practice", results.bestPractice);
      failed = failed || results.wcag.violations.length > 0;
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
