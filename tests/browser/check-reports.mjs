// Opens HTML reports in Debian's chromium (through playwright-core) and prints one JSON line per
// report and viewport: console messages, page errors, every request other than the page itself,
// whether the page renders the same offline, horizontal overflow, and paint/load times.
//
// usage: node check-reports.mjs OUT_DIR FILE.html...
// Screenshots go to OUT_DIR/<name>-<width>x<height>.png (and -full.png for the whole page).
import { chromium } from 'playwright-core';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, ...files] = process.argv.slice(2);
const viewports = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  for (const file of files) {
    const url = pathToFileURL(resolve(file)).href;
    const name = basename(file).replace(/\.html$/, '');
    for (const vp of viewports) {
      const shots = [];
      const result = { file, viewport: `${vp.width}x${vp.height}`, console: [], errors: [], requests: [] };
      for (const offline of [false, true]) {
        const context = await browser.newContext({ viewport: vp, offline });
        const page = await context.newPage();
        page.on('console', m => result.console.push(`${m.type()}: ${m.text()}`));
        page.on('pageerror', e => result.errors.push(String(e)));
        page.on('request', r => { if (r.url() !== url) result.requests.push(r.url()); });
        page.on('requestfailed', r => { if (r.url() !== url) result.requests.push(`failed: ${r.url()}`); });
        const start = Date.now();
        await page.goto(url, { waitUntil: 'load' });
        if (!offline) {
          result.wall_ms = Date.now() - start;
          Object.assign(result, await page.evaluate(() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const fcp = performance.getEntriesByName('first-contentful-paint')[0];
            return {
              load_ms: nav ? nav.loadEventEnd : null,
              fcp_ms: fcp ? fcp.startTime : null,
              overflow_px: document.documentElement.scrollWidth - window.innerWidth,
              height_px: document.documentElement.scrollHeight,
              sections: [...document.querySelectorAll('main > section[id]')].map(s => s.id),
            };
          }));
          await page.screenshot({ path: `${outDir}/${name}-${vp.width}x${vp.height}.png` });
          if (process.env.FULL_PAGE) await page.screenshot({ path: `${outDir}/${name}-${vp.width}-full.png`, fullPage: true });
        }
        shots.push(await page.screenshot({ fullPage: true }));
        await context.close();
      }
      result.same_offline = shots[0].equals(shots[1]);
      console.log(JSON.stringify(result));
    }
  }
} finally {
  await browser.close();
}
