// Load report.html in headless Chromium (Debian's, driven by playwright-core)
// and check what a reviewer relies on: the verdict, the findings, the
// getrandom histogram drawn, the flame graph present, click-to-zoom changing
// the view, the search box highlighting a named function. Screenshots go to
// OUTDIR. Usage: node report_html_check.js REPORT.html OUTDIR SEARCH_TERM
const { chromium } = require('playwright-core');

const [report, outdir, term] = process.argv.slice(2);

function check(cond, what) {
  if (!cond) throw new Error('FAIL: ' + what);
  console.log('ok: ' + what);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push('fetch ' + r.url()); });
    await page.goto('file://' + report);
    await page.screenshot({ path: outdir + '/report.png', fullPage: true });

    check(await page.locator('#verdict').count() === 1, 'the verdict is shown: ' +
      await page.locator('#verdict').innerText());
    check(await page.locator('#metrics tr').count() > 5, 'the metric table has rows');
    const findings = await page.locator('#findings li').allInnerTexts();
    check(findings.length >= 1, 'findings listed: ' + findings.join(' | '));

    const series = await page.$$eval('#getrandom-hist polyline.series', (ps) =>
      ps.map((p) => ({ cls: p.getAttribute('class'), n: p.points.numberOfItems,
        w: p.getBBox().width, h: p.getBBox().height })));
    check(series.length === 2 && series.every((s) => s.n > 4 && s.w > 50 && s.h > 20),
      'the getrandom histogram is drawn for both sides: ' + JSON.stringify(series));

    const frames = await page.locator('#flame svg.pg-flame g.frame').count();
    check(frames > 20, 'the flame graph is present with ' + frames + ' frames');

    // click-to-zoom: a frame a few levels up, narrower than half the graph
    const target = await page.$$eval('#flame g.frame', (gs) => {
      const g = gs.find((g) => {
        const w = +g.querySelector('rect').getAttribute('width');
        return w > 40 && w < 500;
      });
      g.setAttribute('id', 'zoom-target');
      return { name: g.pgName, w: +g.querySelector('rect').getAttribute('width') };
    });
    const hiddenBefore = await page.$$eval('#flame g.frame', (gs) =>
      gs.filter((g) => g.style.display === 'none').length);
    await page.click('#zoom-target');
    const after = await page.$eval('#zoom-target rect', (r) => +r.getAttribute('width'));
    const hiddenAfter = await page.$$eval('#flame g.frame', (gs) =>
      gs.filter((g) => g.style.display === 'none').length);
    const zoomed = await page.$eval('#flame svg.pg-flame', (s) => s.getAttribute('data-zoomed'));
    check(after > 1100 && after > target.w * 2 && hiddenAfter > hiddenBefore && zoomed,
      `click-to-zoom on ${target.name}: ${target.w} px -> ${after} px, ` +
      `${hiddenAfter} frames hidden`);
    await page.locator('#flame').screenshot({ path: outdir + '/flame-zoomed.png' });
    await page.click('#flame .pg-reset');
    const reset = await page.$eval('#zoom-target rect', (r) => +r.getAttribute('width'));
    check(Math.abs(reset - target.w) < 0.05, 'reset zoom restores the view');

    await page.fill('#flame input.pg-search', term);
    const hits = await page.$$eval('#flame g.frame[data-match]', (gs) =>
      gs.map((g) => [g.pgName, g.querySelector('rect').getAttribute('fill')]));
    check(hits.length >= 1 && hits.every(([n, f]) => n.includes(term) && f === 'rgb(230,0,230)'),
      `search '${term}' highlights ${hits.length} frames: ${hits.map((h) => h[0]).join(', ')}`);
    const matched = await page.locator('#flame .pg-matched').textContent();
    check(/matched: [1-9]/.test(matched), 'the search says ' + matched);
    await page.locator('#flame').screenshot({ path: outdir + '/flame-search.png' });
    check(errors.length === 0, 'no script errors and no requests outside the file: ' +
      errors.join('; '));

    // the standalone flame-diff.svg beside it: the same search and zoom
    const svg = await browser.newPage({ viewport: { width: 1250, height: 700 } });
    const svgErrors = [];
    svg.on('pageerror', (e) => svgErrors.push(String(e)));
    await svg.goto('file://' + report.replace(/report\.html$/, 'flame-diff.svg'));
    await svg.fill('input.pg-search', term);
    const svgHits = await svg.$$eval('g.frame[data-match]', (gs) => gs.length);
    const name = await svg.$$eval('g.frame', (gs) => {
      const g = gs.find((g) => {
        const w = +g.querySelector('rect').getAttribute('width');
        return w > 40 && w < 500;
      });
      g.setAttribute('id', 'zoom-target');
      return g.pgName;
    });
    await svg.click('#zoom-target');
    const svgW = await svg.$eval('#zoom-target rect', (r) => +r.getAttribute('width'));
    await svg.screenshot({ path: outdir + '/flame-standalone.png' });
    check(svgHits >= 1 && svgW > 1100 && svgErrors.length === 0,
      `standalone flame-diff.svg: search finds ${svgHits} frames, ${name} zooms to ${svgW} px`);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e.message || e); process.exit(1); });
