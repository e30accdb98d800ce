// Runs Lighthouse on several pages with one headless Chromium (started once, so each
// run costs the audit, not a browser start). Driven by bench/lighthouse.py.
//
// Reads one JSON job on standard input:
//   {"tools": DIR,            the folder whose node_modules holds lighthouse
//    "chrome": PATH, "flags": [...],   the browser and its command-line flags
//    "out": DIR,               where each run's report is written, as N.json
//    "runs": [{"url": URL, "formFactor": "mobile" | "desktop",
//              "categories": [...] | null, "audits": [...] | null,
//              "ignoreStatusCode": BOOL}, ...]}
// A run's report is Lighthouse's own JSON result (its runtimeError says when a page
// could not be audited). Exits 1 only when the browser or Lighthouse cannot start.
import {createRequire} from 'node:module';
import {writeFileSync} from 'node:fs';
import path from 'node:path';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const local = createRequire(path.join(job.tools, 'package.json'));
const {default: lighthouse, desktopConfig} = await import(local.resolve('lighthouse'));
const chromeLauncher = await import(local.resolve('chrome-launcher'));

const chrome = await chromeLauncher.launch({
  chromePath: job.chrome,
  chromeFlags: job.flags,
  logLevel: 'silent',
});
try {
  for (const [index, run] of job.runs.entries()) {
    const flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      ignoreStatusCode: Boolean(run.ignoreStatusCode),
      disableFullPageScreenshot: true,   // no audit here uses it; it costs time
    };
    if (run.categories) flags.onlyCategories = run.categories;
    if (run.audits) flags.onlyAudits = run.audits;
    const config = run.formFactor === 'desktop' ? desktopConfig : undefined;
    const result = await lighthouse(run.url, flags, config);
    writeFileSync(path.join(job.out, `${index}.json`), JSON.stringify(result.lhr));
  }
} finally {
  await chrome.kill();
}
