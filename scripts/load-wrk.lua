-- perfgate's wrk hook (used by scripts/load-wrk.sh): pace each connection and
-- write the run's summary as perfgate's metrics file.
--
-- The request itself is left to wrk: the URL on the command line (target +
-- PATH_QUERY) makes wrk build it once and reuse it, so no Lua runs per
-- request at all unless pacing is on, and then only delay(), which returns
-- a number and allocates nothing.

local pace = tonumber(os.getenv("PACE_MS") or "0") or 0

if pace > 0 then
	function delay()
		return pace
	end
end

-- done() runs once, after all threads stopped. latency values are in
-- microseconds, summary.duration too. errors.status counts responses with
-- status >= 400 (wrk's own rule): the demo never redirects, and counting 3xx
-- would need a response() hook in the hot path.
function done(summary, latency, requests)
	local path = os.getenv("PERFGATE_METRICS_FILE")
	local e = summary.errors
	local errors = e.connect + e.read + e.write + e.timeout + e.status
	local secs = summary.duration / 1e6
	local rps = 0
	if secs > 0 then
		rps = summary.requests / secs
	end
	local json = string.format(
		'{"requests": %d, "rps": %.3f, "errors": %d, "lat_p50_ms": %.4f, ' ..
		'"lat_p90_ms": %.4f, "lat_p99_ms": %.4f, "lat_mean_ms": %.4f}\n',
		summary.requests, rps, errors,
		latency:percentile(50) / 1000, latency:percentile(90) / 1000,
		latency:percentile(99) / 1000, latency.mean / 1000)
	-- Write beside the target and rename, so perfgate never reads half.
	local tmp = path .. ".tmp"
	local f = assert(io.open(tmp, "w"))
	assert(f:write(json))
	assert(f:close())
	assert(os.rename(tmp, path))
end
