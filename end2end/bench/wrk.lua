-- One benchmark target for wrk: method, body, content type and cookie come from the
-- environment; the summary is printed as one JSON line (p95 is not in wrk's own report).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and #body > 0 then
  wrk.body = body
end
local content_type = os.getenv("BENCH_CONTENT_TYPE")
if content_type and #content_type > 0 then
  wrk.headers["Content-Type"] = content_type
end
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN") or ""
wrk.headers["Accept-Encoding"] = "br, gzip"

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"rps":%.1f,"p50_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,"socket_errors":%d,"http_errors":%d}\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
