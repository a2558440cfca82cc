// Page-load figures of the portal (issue 8), measured in Debian's chromium
// with the browser's own performance timing under a throttled mobile profile:
// JavaScript shipped (bytes on the wire, i.e. gzip, and decoded), first
// contentful paint, time to interactive and the moment the page's content is
// usable. Run by `make bench` (scripts/bench.sh) against a real `amtsweg serve`
// with the demo municipality.
//
// Profile: Lighthouse's "Slow 4G, mid-tier mobile" as DevTools applies it —
// 562.5 ms request latency, 1,474.56 kbit/s down, 607.5 kbit/s up, CPU slowed
// down 4x — a 412x823 viewport and Lighthouse's mobile user agent (a phone:
// pages behave as on one, e.g. date fields use the phone's native picker;
// `--ua desktop` keeps chromium's own). Every run starts with an empty cache.
//
// Time to interactive follows Lighthouse's definition: after FCP, the first
// window of 5 s without long tasks (> 50 ms) and with at most two requests in
// flight; TTI is the end of the last long task before that window (or FCP).
// "interactive" is TTI, but not before the page's content (the form's fields)
// is visible — a form page is not usable before its form is there.
//
// Usage: node bench/perf.mjs --url http://127.0.0.1:PORT [--runs 5] [--profile slow4g|rtt150]
//        [--pages start,service,form] [--ua mobile|desktop] [--json]
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const base = opt('url', process.env.AMTSWEG_E2E_URL ?? 'http://127.0.0.1:8080');
const runs = Number(opt('runs', '5'));
const tenant = opt('tenant', 'amt-musterland');
const service = opt('service', 'musterland-plakatierung');

const allPages = [
  { key: 'start', name: 'portal start (tenant)', path: `/${tenant}`, ready: 'main h1' },
  { key: 'service', name: 'service page', path: `/${tenant}/leistungen/${service}`, ready: 'main h1' },
  { key: 'form', name: 'form page', path: `/${tenant}/leistungen/${service}/antrag`, ready: '.fjs-form input, .fjs-form select, .fjs-form textarea' },
];
const wanted = opt('pages', 'start,service,form').split(',');
const pages = allPages.filter((p) => wanted.includes(p.key));
// Lighthouse's emulated mobile user agent (its "moto g power" profile).
const userAgents = {
  mobile: 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
  desktop: undefined,
};
const uaName = opt('ua', 'mobile');
if (!(uaName in userAgents)) {
  console.error('unknown --ua; known: mobile, desktop');
  process.exit(2);
}
const userAgent = userAgents[uaName];

// --profile slow4g (default): Lighthouse's mobile network as DevTools applies
// it per request; --profile rtt150: the same bandwidth and CPU with the 150 ms
// round trip Lighthouse's simulated throttling assumes.
const profiles = {
  slow4g: { name: 'Slow 4G (562.5 ms RTT, 1.47 Mbit/s down), CPU 4x slower', latency: 562.5, download: (1474.56 * 1024) / 8, upload: (607.5 * 1024) / 8, cpu: 4 },
  rtt150: { name: '150 ms RTT, 1.6 Mbit/s down, CPU 4x slower', latency: 150, download: (1638.4 * 1024) / 8, upload: (675 * 1024) / 8, cpu: 4 },
};
const profile = profiles[opt('profile', 'slow4g')];
if (!profile) {
  console.error(`unknown --profile; known: ${Object.keys(profiles).join(', ')}`);
  process.exit(2);
}
const quietWindowMs = 5000;

// Runs in the page before its own scripts: records long tasks and the moment
// the page's content (the `ready` selector) is first visible. The page marks
// it itself, so that measuring does not add work of its own to the main thread
// (playwright's waitForSelector injects a script of ~100 ms at 4x slower CPU,
// which counted as a long task of the page).
const collector = (ready) => {
  window.__longTasks = [];
  window.__readyAt = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const check = () => {
    if (window.__readyAt !== null) return;
    for (const el of document.querySelectorAll(ready)) {
      if (el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden') {
        window.__readyAt = performance.now();
        observer.disconnect();
        return;
      }
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'style', 'hidden'] });
};

function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

function timeToInteractive(fcp, longTasks, requests, end) {
  // Candidate starts of the quiet window: FCP, the end of every long task and
  // of every request after it (when fewer requests may be in flight).
  const later = (t) => t > fcp;
  const starts = [fcp, ...longTasks.map((t) => t.end).filter(later), ...requests.map((r) => r.end).filter(later)]
    .sort((a, b) => a - b);
  const inFlight = (p) => requests.filter((r) => r.start <= p && r.end > p).length;
  for (const s of starts) {
    const e = s + quietWindowMs;
    if (longTasks.some((t) => t.end > s && t.start < e)) continue;
    // At most two requests in flight at every moment of [s, e).
    const points = [s, ...requests.map((r) => r.start).filter((t) => t > s && t < e)];
    if (points.some((p) => inFlight(p) > 2)) continue;
    // TTI: the end of the last long task before the quiet window, but not before FCP.
    const before = longTasks.filter((t) => t.end <= s).map((t) => t.end);
    return { tti: Math.max(fcp, ...before), complete: e <= end };
  }
  return { tti: NaN, complete: false };
}

async function measure(browser, page) {
  const context = await browser.newContext({
    viewport: { width: 412, height: 823 }, locale: 'de-DE', isMobile: true, hasTouch: true, ...(userAgent ? { userAgent } : {}),
  });
  const tab = await context.newPage();
  await tab.addInitScript(collector, page.ready);
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: profile.latency, downloadThroughput: profile.download, uploadThroughput: profile.upload,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  await tab.goto(base + page.path, { waitUntil: 'load', timeout: 120_000 });
  // Poll the page's own mark through CDP (a bare expression, no injected script).
  let readyAt = null;
  for (const deadline = Date.now() + 120_000; readyAt === null; await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error(`${page.path}: "${page.ready}" not visible after 120 s`);
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__readyAt', returnByValue: true });
    readyAt = result.value ?? null;
  }
  // Let the quiet window pass so that TTI can be decided.
  await tab.waitForTimeout(quietWindowMs + 500);
  const data = await tab.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const res = performance.getEntriesByType('resource');
    const requests = [{ start: 0, end: nav.responseEnd }, ...res.map((r) => ({ start: r.startTime, end: r.responseEnd }))];
    const js = res.filter((r) => new URL(r.name).pathname.endsWith('.js'));
    return {
      fcp, now: performance.now(), longTasks: window.__longTasks, requests,
      jsWire: js.reduce((n, r) => n + r.encodedBodySize, 0),
      jsDecoded: js.reduce((n, r) => n + r.decodedBodySize, 0),
      jsFiles: js.length,
      jsPaths: js.map((r) => new URL(r.name).pathname),
      load: nav.loadEventEnd,
    };
  });
  await context.close();
  const { tti, complete } = timeToInteractive(data.fcp, data.longTasks, data.requests, data.now);
  if (process.env.PERF_DEBUG) console.error(JSON.stringify({ page: page.path, tti, complete, readyAt, ...data }));
  return { ...data, readyAt, tti, complete };
}

// The bytes of the given scripts as the server sends them gzip-compressed
// (its .gz twins; files under 1 KB go as they are).
async function gzipBytes(paths) {
  let n = 0;
  for (const path of paths) {
    const answer = await fetch(base + path, { headers: { 'Accept-Encoding': 'gzip' } });
    n += Number(answer.headers.get('content-length')) || (await answer.arrayBuffer()).byteLength;
  }
  return n;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const results = [];
try {
  for (const page of pages) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await measure(browser, page));
    results.push({
      page: page.name, path: page.path, runs,
      // Bytes on the wire (chromium takes the brotli twins) and the same
      // scripts as gzip (issue 8's unit), asked for once after the runs.
      js_wire_kb: +(median(samples.map((s) => s.jsWire)) / 1024).toFixed(1),
      js_gzip_kb: +((await gzipBytes(samples[0].jsPaths)) / 1024).toFixed(1),
      js_decoded_kb: +(median(samples.map((s) => s.jsDecoded)) / 1024).toFixed(1),
      js_files: median(samples.map((s) => s.jsFiles)),
      fcp_ms: Math.round(median(samples.map((s) => s.fcp))),
      ready_ms: Math.round(median(samples.map((s) => s.readyAt))),
      tti_ms: Math.round(median(samples.map((s) => s.tti))),
      // Usable: Lighthouse's TTI, but not before the page's content (the form) is there.
      interactive_ms: Math.round(median(samples.map((s) => Math.max(s.tti, s.readyAt)))),
      interactive_max_ms: Math.round(Math.max(...samples.map((s) => Math.max(s.tti, s.readyAt)))),
      tti_all_decided: samples.every((s) => s.complete),
    });
  }
} finally {
  await browser.close();
}
if (args.includes('--json')) {
  console.log(JSON.stringify({ profile: profile.name, userAgent: uaName, results }, null, 2));
} else {
  console.log(`web: ${profile.name}, 412x823, ${uaName} user agent, empty cache; medians of ${runs} runs`);
  console.log('page                      js_wire_kb  js_gzip_kb  js_kb  files  fcp_ms  ready_ms  tti_ms  interactive_ms  max');
  for (const r of results) {
    console.log(`${r.page.padEnd(25)} ${String(r.js_wire_kb).padStart(10)} ${String(r.js_gzip_kb).padStart(11)} ${String(r.js_decoded_kb).padStart(6)} ${String(r.js_files).padStart(6)} ${String(r.fcp_ms).padStart(7)} ${String(r.ready_ms).padStart(9)} ${String(r.tti_ms).padStart(7)} ${String(r.interactive_ms).padStart(15)} ${String(r.interactive_max_ms).padStart(5)}${r.tti_all_decided ? '' : '  (quiet window not decided in every run)'}`);
  }
}
