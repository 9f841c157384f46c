// Lighthouse on each URL in one Debian Chromium; one JSON line per URL (benchmarks/lighthouse.py).
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
const [modules, ...urls] = process.argv.slice(2);
const lighthouse = (await import(pathToFileURL(path.join(modules, 'lighthouse/core/index.js')))).default;
const launcher = await import(pathToFileURL(path.join(modules, 'chrome-launcher/dist/index.js')));
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-profile-'));
const chrome = await launcher.launch({
  chromePath: process.env.CHROME_PATH, userDataDir, logLevel: 'silent',
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  for (const url of urls) {
    const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
    const scores = Object.fromEntries(Object.entries(lhr.categories).map(([k, c]) => [k, Math.round(c.score * 100)]));
    const failing = Object.entries(lhr.audits)
      .filter(([, a]) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative'
        && a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual')
      .map(([id]) => id);
    const a = lhr.audits;
    console.log(JSON.stringify({ url, scores, failing, lcp: a['largest-contentful-paint']?.displayValue,
      cls: a['cumulative-layout-shift']?.displayValue, tbt: a['total-blocking-time']?.displayValue,
      bytes: a['total-byte-weight']?.numericValue }));
  }
} finally {
  await chrome.kill();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
