// The benchmark's measurements (started by server/scripts/bench.sh with the server running on the
// large dataset): HTTP load with wrk as the CEO, a client and a reseller; Chromium over CDP;
// bundle sizes; server memory; database size; sequential scans of large tables. Writes
// report.json and report.md into BENCH_OUT and prints the summary.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { chromium, request } from "@playwright/test";
import { totp } from "../lib/totp.mjs";

const URL_ = process.env.BENCH_URL;
const OUT = process.env.BENCH_OUT;
const SERVER_PID = process.env.BENCH_SERVER_PID;
const SITE = process.env.BENCH_SITE;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LEVELS = [1, 16, 64];
const RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 5);
const PASSWORD = "Demo-Password-2026";
const CEO_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const BIG_TABLE_ROWS = 10_000;

const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const log = (...a) => console.error("  ·", ...a);

function psql(sql) {
  return execFileSync("psql", ["-X", "-At", "-F", "|", process.env.DATABASE_URL, "-c", sql], { encoding: "utf8" }).trim();
}

function rssMb() {
  const status = readFileSync(`/proc/${SERVER_PID}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return round(kb / 1024);
}

/** Signs a user in through the server functions; returns the request context (with cookies). */
async function signIn(email) {
  const ctx = await request.newContext({ baseURL: URL_, extraHTTPHeaders: { origin: URL_ } });
  let r = await ctx.post("/api/auth/login", { form: { email, password: PASSWORD } });
  if (r.status() !== 200) throw new Error(`login ${email}: ${r.status()} ${await r.text()}`);
  const answer = JSON.stringify(await r.json());
  if (answer.includes("SecondFactor")) {
    for (let attempt = 0; attempt < 3; attempt++) {
      r = await ctx.post("/api/auth/second_factor", { form: { code: totp(CEO_TOTP) } });
      if (r.status() === 200) break;
      await new Promise((ok) => setTimeout(ok, 31_000 - (Date.now() % 30_000)));
    }
    if (r.status() !== 200) throw new Error(`second factor: ${r.status()} ${await r.text()}`);
  }
  return ctx;
}

async function cookieHeader(ctx) {
  const state = await ctx.storageState();
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

async function fn(ctx, name, body) {
  const r = await ctx.post(`/api/${name}`, { data: body, headers: { "content-type": "application/json" } });
  if (r.status() !== 200) throw new Error(`${name}: ${r.status()} ${await r.text()}`);
  return r.json();
}

function wrk(target, connections) {
  const env = {
    ...process.env,
    BENCH_METHOD: target.method ?? "GET",
    BENCH_BODY: target.body ?? "",
    BENCH_CONTENT_TYPE: target.contentType ?? "",
    BENCH_COOKIE: target.cookie,
    BENCH_ORIGIN: URL_,
  };
  const threads = String(Math.min(2, connections));
  const r = spawnSync(
    "wrk",
    ["-t", threads, "-c", String(connections), "-d", `${target.seconds ?? SECONDS}s`, "--timeout", "10s", "-s", "bench/wrk.lua", `${URL_}${target.path}`],
    { env, encoding: "utf8" },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (!line) throw new Error(`wrk ${target.name}: ${r.stdout} ${r.stderr}`);
  return JSON.parse(line.slice("BENCH_JSON ".length));
}

function bigTableScans() {
  return Object.fromEntries(
    // Sizes from the catalogue too: the statistics' live-row counts restart at 0 after an
    // unclean stop of the cluster, and a large table must not pass for a small one.
    psql("SELECT s.relname, s.seq_scan, greatest(s.n_live_tup, c.reltuples::bigint) FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid")
      .split("\n")
      .map((l) => l.split("|"))
      .map(([name, scans, rows]) => [name, { scans: Number(scans), rows: Number(rows) }]),
  );
}

async function browserMetrics(storageState, pathname) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const measureOnce = async (context) => {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__lcp = null;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__lcp = e.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
      new MutationObserver((_, observer) => {
        if (document.documentElement?.dataset.hydrated && window.__hydrated === undefined) {
          window.__hydrated = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    let bytes = 0;
    cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
    // Which bundle files the page loads (with a split bundle, only the chunks it needs).
    const pkg = new Set();
    page.on("request", (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith("/pkg/")) pkg.add(p.slice("/pkg/".length));
    });
    await page.goto(pathname, { waitUntil: "load" });
    // A page that never hydrates is reported (hydrated: null), not hidden by a crash.
    await page.waitForFunction(() => window.__hydrated !== undefined, null, { timeout: 20_000 }).catch(() => {});
    await page.waitForTimeout(300);
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return { ttfb: nav.responseStart, fcp: fcp ? fcp.startTime : null, lcp: window.__lcp, hydrated: window.__hydrated ?? null };
    });
    await page.close();
    return { ...m, bytes, pkg: [...pkg].sort() };
  };
  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ baseURL: URL_, storageState });
    cold.push(await measureOnce(context));
    warm.push(await measureOnce(context));
    await context.close();
  }
  await browser.close();
  const summarise = (runs) => ({
    ...Object.fromEntries(["ttfb", "fcp", "lcp", "hydrated", "bytes"].map((k) => [k, round(median(runs.map((r) => r[k])))])),
    pkg: runs[0]?.pkg ?? [],
  });
  return { cold: summarise(cold), warm: summarise(warm) };
}

function bundleSizes() {
  const dir = path.join(SITE, "pkg");
  const files = readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f));
  return files.map((file) => {
    const raw = readFileSync(path.join(dir, file));
    return {
      file,
      raw: statSync(path.join(dir, file)).size,
      gzip: zlib.gzipSync(raw, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "CPU"}, ${round(os.totalmem() / 2 ** 30, 0)} GiB RAM, ${os.type()} ${os.release()}`;
}

/**
 * Uploads the generated 10,000-entry camt.053 (BENCH_CAMT) as the CEO and reads the server's own
 * timings of the import and of the reconciliation, sampling the server's memory meanwhile.
 */
async function bankingImport(ceo) {
  const file = process.env.BENCH_CAMT;
  const company = psql("SELECT id FROM companies WHERE code = 'HYPERVISUAL'");
  const bytes = readFileSync(file);
  let peak = rssMb();
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 100);
  const started = Date.now();
  const r = await fetch(`${URL_}/banking/import?company=${company}&name=camt053-10k.xml`, {
    method: "POST",
    body: bytes,
    headers: { cookie: await cookieHeader(ceo), origin: URL_, "content-type": "application/octet-stream" },
  });
  const wall = Date.now() - started;
  clearInterval(sampler);
  if (r.status !== 200) throw new Error(`bank import: ${r.status} ${(await r.text()).slice(0, 300)}`);
  const summary = await r.json();
  const credits = Number(psql(`SELECT count(*) FROM bank_transactions WHERE import_id = (SELECT id FROM bank_imports ORDER BY created_at DESC LIMIT 1) AND amount_minor > 0`));
  log(`bank import: ${summary.entries} entries, ${summary.new_entries} new, ${summary.matched} matched, ${summary.to_review} to review; import ${summary.import_ms} ms, reconciliation ${summary.reconcile_ms} ms, request ${wall} ms, RSS peak ${peak} MB`);
  return { entries: summary.entries, new_entries: summary.new_entries, credits, matched: summary.matched, to_review: summary.to_review,
           import_ms: summary.import_ms, reconcile_ms: summary.reconcile_ms, request_ms: wall, rss_peak_mb: peak,
           file_mb: round(bytes.length / 2 ** 20) };
}

/**
 * `server bills read` (the reading pipeline, nothing written) on every QR-bill PDF of
 * ../shared/fixtures/qrbill and on the scanned pages (PNG, no text layer: OCR) of
 * ../shared/fixtures/ocr, each 3 times; the reader's own time (`elapsed_ms`, process start-up
 * excluded) as medians, and the process wall time beside it.
 */
function billsRead() {
  const bin = process.env.BENCH_SERVER_BIN;
  const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), "../../../shared/fixtures");
  const measure = (files, step) => {
    const reads = [];
    const walls = [];
    for (const file of files) for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const out = execFileSync(bin, ["bills", "read", file, "--json"], { encoding: "utf8", env: { ...process.env, APP_LOG_FILTER: "error" } });
      walls.push(Date.now() - started);
      const r = JSON.parse(out);
      if (!r.steps.includes(step)) throw new Error(`${file}: not read by ${step}: ${r.steps}`);
      if (step === "qr" && !r.qr_payload) throw new Error(`${file}: no QR-bill found`);
      reads.push(r.elapsed_ms);
    }
    return { files: files.length, runs: reads.length, median_ms: median(reads), max_ms: Math.max(...reads), wall_median_ms: median(walls) };
  };
  const qrDir = path.join(fixtures, "qrbill/FpdfOutput");
  const qr = measure(readdirSync(qrDir).filter((f) => f.endsWith(".pdf")).map((f) => path.join(qrDir, f)), "qr");
  const ocrDir = path.join(fixtures, "ocr");
  const scans = measure(readdirSync(ocrDir).filter((f) => f.endsWith(".png")).map((f) => path.join(ocrDir, f)), "ocr");
  log(`bills read: QR-bill PDFs median ${qr.median_ms} ms (${qr.runs} runs), scanned pages median ${scans.median_ms} ms (${scans.runs} runs)`);
  return { qr_pdf: qr, scanned_page: scans };
}

async function main() {
  const report = { date: new Date().toISOString(), machine: machine(), url: URL_, seconds_per_run: SECONDS, levels: LEVELS };
  report.demo_load_ms = Number(process.env.BENCH_LOAD_MS ?? 0);
  report.rows = Object.fromEntries(
    psql("SELECT s.relname, greatest(s.n_live_tup, c.reltuples::bigint) FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname IN ('invoices','invoice_lines','parties','contacts','leads','quotes')")
      .split("\n")
      .map((l) => l.split("|"))
      .map(([n, r]) => [n, Number(r)]),
  );
  log("rows:", JSON.stringify(report.rows));

  const ceo = await signIn("ceo@hmf.ch");
  const client = await signIn("client@helvetia-events.ch");
  const reseller = await signIn("reseller@romandie-partners.ch");
  const cookies = { ceo: await cookieHeader(ceo), client: await cookieHeader(client), reseller: await cookieHeader(reseller) };
  await ceo.post("/api/account/focus", { form: { company: "" } });
  const me = await (await ceo.post("/api/auth/whoami", { form: {} })).json();
  const hv = me.companies.find((c) => c.code === "HYPERVISUAL").id;

  // Ids for the detail, deep page, payment and quote targets.
  const first = await fn(ceo, "lists/rows", { kind: "Invoices", query: {} });
  const invoiceId = first.rows[0].id;
  let cursor = first.next;
  for (let i = 0; i < 40 && cursor; i++) cursor = (await fn(ceo, "lists/rows", { kind: "Invoices", query: { after: cursor } })).next;
  const open = await fn(ceo, "lists/rows", { kind: "Invoices", query: { status: "sent", sort: "total", dir: "desc", company: hv } });
  const payInvoice = open.rows[0].id;
  const party = (await fn(ceo, "lists/rows", { kind: "Parties", query: { status: "client", company: hv } })).rows[0].id;
  const today = new Date().toISOString().slice(0, 10);
  const until = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  const quoteBody = JSON.stringify({
    input: {
      company_id: hv, party_id: party, contact_id: null, title: "Benchmark quote", currency: "CHF", valid_until: until,
      project_type: "", deposit_percent: "", notes: "",
      lines: [{ product_id: null, description: "Benchmark line", quantity: "1", unit: "pce", unit_price: "100", discount: "", vat_code: "Standard", service_date: today }],
    },
  });
  const json = "application/json";
  const form = "application/x-www-form-urlencoded";
  const targets = [
    { group: "ssr", name: "CEO dashboard (all companies)", path: "/ceo", cookie: cookies.ceo },
    { group: "ssr", name: "CEO dashboard (one company)", path: "/ceo", cookie: cookies.ceo, focus: hv },
    { group: "ssr", name: "Invoice list, page 1", path: "/ceo/invoices", cookie: cookies.ceo },
    { group: "ssr", name: "Invoice list, deep keyset page (41)", path: `/ceo/invoices?after=${cursor}`, cookie: cookies.ceo },
    { group: "ssr", name: "Invoice list, filtered search", path: `/ceo/invoices?q=${encodeURIComponent("Müller")}&status=paid`, cookie: cookies.ceo },
    { group: "ssr", name: "Invoice detail", path: `/ceo/invoices/${invoiceId}`, cookie: cookies.ceo },
    { group: "ssr", name: "Client portal, invoice list", path: "/client/invoices", cookie: cookies.client },
    { group: "ssr", name: "Reseller portal, home", path: "/reseller", cookie: cookies.reseller },
    { group: "fn", name: "fn list (invoices)", path: "/api/lists/rows", method: "POST", contentType: json, body: JSON.stringify({ kind: "Invoices", query: {} }), cookie: cookies.ceo },
    { group: "fn", name: "fn search (invoices)", path: "/api/lists/rows", method: "POST", contentType: json, body: JSON.stringify({ kind: "Invoices", query: { q: "Müller" } }), cookie: cookies.ceo },
    { group: "fn", name: "fn detail (invoice)", path: "/api/invoices/get", method: "POST", contentType: form, body: `id=${invoiceId}`, cookie: cookies.ceo },
    { group: "fn", name: "fn create quote", path: "/api/quotes/create", method: "POST", contentType: json, body: quoteBody, cookie: cookies.ceo },
    { group: "fn", name: "fn record payment", path: "/api/invoices/record_payment", method: "POST", contentType: json, body: JSON.stringify({ payment: { invoice_id: payInvoice, amount: "0.01", paid_on: today, method: "BankTransfer" } }), cookie: cookies.ceo },
    { group: "fn", name: "fn client invoice list", path: "/api/lists/rows", method: "POST", contentType: json, body: JSON.stringify({ kind: "Invoices", query: {} }), cookie: cookies.client },
    { group: "fn", name: "fn reseller leads", path: "/api/lists/rows", method: "POST", contentType: json, body: JSON.stringify({ kind: "Leads", query: {} }), cookie: cookies.reseller },
  ];

  // Each target answers correctly before it is measured (a 4xx would be a fast lie).
  for (const t of targets) {
    const r = await fetch(`${URL_}${t.path}`, { method: t.method ?? "GET", body: t.body, headers: { cookie: t.cookie, origin: URL_, ...(t.contentType ? { "content-type": t.contentType } : {}) } });
    if (r.status !== 200) throw new Error(`${t.name}: ${r.status} ${(await r.text()).slice(0, 300)}`);
  }

  report.rss_idle_mb = rssMb();
  log("warming up");
  for (const t of targets) wrk({ ...t, seconds: 2 }, 4);
  const scansBefore = bigTableScans();
  report.http = [];
  for (const t of targets) {
    if (t.focus) await ceo.post("/api/account/focus", { form: { company: t.focus } });
    for (const c of LEVELS) {
      const r = wrk(t, c);
      report.http.push({ group: t.group, name: t.name, connections: c, ...r });
      log(`${t.name} @${c}: ${r.rps} req/s, p50 ${r.p50_ms} ms, p95 ${r.p95_ms} ms, p99 ${r.p99_ms} ms, errors ${r.socket_errors + r.http_errors}`);
    }
    if (t.focus) await ceo.post("/api/account/focus", { form: { company: "" } });
  }
  report.rss_after_load_mb = rssMb();

  // Statistics reach pg_stat once the server's connections report them (at most ~10 s later).
  await new Promise((ok) => setTimeout(ok, 12_000));
  const scansAfter = bigTableScans();
  report.seq_scans_on_big_tables = Object.entries(scansAfter)
    .filter(([name, s]) => s.rows > BIG_TABLE_ROWS && s.scans > (scansBefore[name]?.scans ?? 0))
    .map(([name, s]) => ({ table: name, rows: s.rows, seq_scans: s.scans - (scansBefore[name]?.scans ?? 0) }));

  report.banking = await bankingImport(ceo);
  report.bills_read = billsRead();

  log("browser (cold and warm, median of", RUNS, "runs)");
  const ceoState = await ceo.storageState();
  report.browser = {
    login: await browserMetrics(undefined, "/login"),
    dashboard: await browserMetrics(ceoState, "/ceo"),
  };
  report.bundle = bundleSizes();
  // What the sign-in page really fetches from /pkg on a cold load (every file if unknown).
  const loginFiles = new Set(report.browser.login.cold.pkg);
  const loginBundle = loginFiles.size ? report.bundle.filter((f) => loginFiles.has(f.file)) : report.bundle;
  report.login_initial_brotli_kb = round(loginBundle.reduce((s, f) => s + f.brotli, 0) / 1024);
  report.bundle_total_brotli_kb = round(report.bundle.reduce((s, f) => s + f.brotli, 0) / 1024);
  report.db_size_mb = round(Number(psql("SELECT pg_database_size(current_database())")) / 2 ** 20);

  const targetsMet = [];
  const at = (group, c) => report.http.filter((r) => r.group === group && r.connections === c);
  const worst = (rows) => Math.max(...rows.map((r) => r.p95_ms));
  const errors = report.http.reduce((s, r) => s + r.socket_errors + r.http_errors, 0);
  const check = (what, measured, target, met) => targetsMet.push({ what, measured, target, met });
  check("SSR pages p95 @16 (worst page)", `${round(worst(at("ssr", 16)), 2)} ms`, "≤ 20 ms", worst(at("ssr", 16)) <= 20);
  check("SSR pages p95 @64 (worst page)", `${round(worst(at("ssr", 64)), 2)} ms`, "≤ 60 ms", worst(at("ssr", 64)) <= 60);
  check("Errors (all runs)", String(errors), "0", errors === 0);
  check("Server functions p95 @16 (worst)", `${round(worst(at("fn", 16)), 2)} ms`, "≤ 10 ms", worst(at("fn", 16)) <= 10);
  const b = report.browser;
  const worstOf = (a, c) => (a == null || c == null ? Infinity : Math.max(a, c));
  const fcp = worstOf(b.login.cold.fcp, b.dashboard.cold.fcp);
  check("FCP, cold (worst of login, dashboard)", `${fcp} ms`, "≤ 300 ms", fcp <= 300);
  const hydCold = worstOf(b.login.cold.hydrated, b.dashboard.cold.hydrated);
  check("Hydrated, cold", `${hydCold} ms`, "≤ 800 ms", hydCold <= 800);
  const hydWarm = worstOf(b.login.warm.hydrated, b.dashboard.warm.hydrated);
  check("Hydrated, warm", `${hydWarm} ms`, "≤ 300 ms", hydWarm <= 300);
  check("Login page initial transfer (wasm + JS + CSS, brotli)", `${report.login_initial_brotli_kb} KB`, "≤ 350 KB", report.login_initial_brotli_kb <= 350);
  check("Server RSS after the load", `${report.rss_after_load_mb} MB`, "≤ 150 MB", report.rss_after_load_mb <= 150);
  check("Sequential scans of tables > 10k rows during the load", String(report.seq_scans_on_big_tables.length), "0", report.seq_scans_on_big_tables.length === 0);
  const bk = report.banking;
  check("camt.053 import, 10,000 entries", `${bk.import_ms} ms`, "≤ 5000 ms", bk.import_ms <= 5000);
  check("Reconciliation of the imported credits", `${bk.reconcile_ms} ms (${bk.credits} credits, ${bk.matched} matched, ${bk.to_review} to review)`, "≤ 10000 ms", bk.reconcile_ms <= 10000);
  check("Server RSS during import and reconciliation (peak)", `${bk.rss_peak_mb} MB`, "≤ 300 MB", bk.rss_peak_mb <= 300);
  const br = report.bills_read;
  check("`server bills read`, QR-bill PDF (median)", `${br.qr_pdf.median_ms} ms (${br.qr_pdf.files} files × 3)`, "≤ 300 ms", br.qr_pdf.median_ms <= 300);
  check("`server bills read`, scanned page, OCR (median)", `${br.scanned_page.median_ms} ms (${br.scanned_page.files} files × 3)`, "≤ 3000 ms", br.scanned_page.median_ms <= 3000);
  report.targets = targetsMet;

  const md = [];
  md.push(`# Benchmark — ${report.date}`, "", `Machine: ${report.machine}`, "");
  md.push(`Dataset: ${Object.entries(report.rows).map(([k, v]) => `${k} ${v}`).join(", ")}; demo load ${round(report.demo_load_ms / 1000)} s (0 when reused).`, "");
  md.push("| Target | Measured | Goal | Met |", "|---|---|---|---|");
  for (const t of targetsMet) md.push(`| ${t.what} | ${t.measured} | ${t.target} | ${t.met ? "met" : "**not met**"} |`);
  md.push("", `## HTTP (wrk, ${SECONDS} s per run, loopback)`, "", "| Target | Conns | req/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---|---|---|---|---|");
  for (const r of report.http) md.push(`| ${r.name} | ${r.connections} | ${r.rps} | ${r.p50_ms} | ${r.p95_ms} | ${r.p99_ms} | ${r.socket_errors + r.http_errors} |`);
  md.push("", "## Browser (Chromium, median of " + RUNS + " runs, ms / bytes)", "", "| Page | Cache | TTFB | FCP | LCP | Hydrated | Bytes |", "|---|---|---|---|---|---|---|");
  for (const [page, m] of Object.entries(b)) for (const cache of ["cold", "warm"]) {
    const x = m[cache];
    md.push(`| ${page} | ${cache} | ${x.ttfb} | ${x.fcp} | ${x.lcp} | ${x.hydrated} | ${x.bytes} |`);
  }
  md.push("", "## Bundle", "", "| File | Raw | gzip | brotli | Loaded by |", "|---|---|---|---|---|");
  for (const f of report.bundle) {
    const by = Object.entries(b).filter(([, m]) => m.cold.pkg.includes(f.file)).map(([page]) => page).join(", ");
    md.push(`| ${f.file} | ${f.raw} | ${f.gzip} | ${f.brotli} | ${by} |`);
  }
  md.push("", `All files together: ${report.bundle_total_brotli_kb} KB brotli; the sign-in page loads ${report.login_initial_brotli_kb} KB of them.`);
  md.push("", `Server RSS: ${report.rss_idle_mb} MB idle, ${report.rss_after_load_mb} MB after the load. Database: ${report.db_size_mb} MB.`);
  if (report.seq_scans_on_big_tables.length) md.push("", "Sequential scans: " + JSON.stringify(report.seq_scans_on_big_tables));
  writeFileSync(path.join(OUT, "report.json"), JSON.stringify(report, null, 2));
  writeFileSync(path.join(OUT, "report.md"), md.join("\n") + "\n");
  console.log(md.join("\n"));
  console.error(`\nReport: ${OUT}/report.md and report.json`);
  await Promise.all([ceo.dispose(), client.dispose(), reseller.dispose()]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
