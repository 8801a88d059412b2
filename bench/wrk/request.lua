-- One fixed request per connection, configured from the environment (set by bench/support/harness.ts):
--   WRK_METHOD (GET|POST), WRK_TOKEN (bearer token, optional), WRK_BODY_FILE (JSON body, optional).
-- At the end prints one line `WRK_JSON {...}` with the counts and latency percentiles (microseconds),
-- since wrk's own --latency table has no p95.
local method = os.getenv("WRK_METHOD") or "GET"
local token = os.getenv("WRK_TOKEN")
local bodyFile = os.getenv("WRK_BODY_FILE")
local body = nil
if bodyFile and bodyFile ~= "" then
  local f = assert(io.open(bodyFile, "rb"))
  body = f:read("*a")
  f:close()
end
local headers = {}
if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
if body then headers["Content-Type"] = "application/json" end

local req
function init(args)
  req = wrk.format(method, nil, headers, body)
end

function request()
  return req
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f,' ..
    '"status_errors":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
