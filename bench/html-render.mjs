// Render time of HTML reports in Debian's chromium: for each file, RUNS loads in fresh pages at
// 1280x800; prints the file's size, the median time to the load event and to first contentful
// paint. usage: node bench/html-render.mjs FILE.html...   (RUNS=9 by default)
import { createRequire } from 'node:module';
import { resolve, dirname } from 'node:path';
import { statSync } from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';

const require = createRequire(resolve(dirname(fileURLToPath(import.meta.url)), '../tests/browser/package.json'));
const { chromium } = require('playwright-core');
const runs = Number(process.env.RUNS || 9);
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
console.log('| report | bytes | load event (median ms) | first contentful paint (median ms) |');
console.log('|---|---:|---:|---:|');
for (const file of process.argv.slice(2)) {
  const load = [], fcp = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
    // Paint timing is reported after the next frame.
    const t = await page.evaluate(() => new Promise(r => requestAnimationFrame(() => setTimeout(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const p = performance.getEntriesByName('first-contentful-paint')[0];
      r({ load: nav.loadEventEnd, fcp: p ? p.startTime : NaN });
    }, 50))));
    load.push(t.load); fcp.push(t.fcp);
    await page.close();
  }
  console.log(`| ${file.split('/').pop()} | ${statSync(file).size} | ${median(load).toFixed(0)} | ${median(fcp).toFixed(0)} |`);
}
await browser.close();
