-- wrk script for the sale round of `manage.py bench`: POST /api/v1/rounds/{round}/buy with
-- a bearer token, each thread walking its own share of the tokens of_bench_<n> (0 ..
-- BENCH_TOKENS - 1, round and round), buying edition BENCH_EDITION to the fan's own
-- address (BENCH_ADDRESS0 + n). Each thread stops after BENCH_ATTEMPTS / threads answers
-- and then creates the file BENCH_DONE .. <thread>: the benchmark waits for them, timing
-- the attempts, and stops wrk (SIGINT), whose `done` prints one JSON line with the answers
-- counted by status.
local round = os.getenv("BENCH_ROUND")
local edition = os.getenv("BENCH_EDITION")
local address0 = tonumber(os.getenv("BENCH_ADDRESS0"))
local tokens = tonumber(os.getenv("BENCH_TOKENS") or "1")
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local attempts = tonumber(os.getenv("BENCH_ATTEMPTS") or "1000")
local done_file = os.getenv("BENCH_DONE") or "/tmp/wrk-buy-done-"

local all_threads = {}
local counter = 1
setup = function(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(all_threads, thread)
end

local next_token, answered, quota, me
init = function(args)
  me = tonumber(rawget(_G, "index")) or 1
  next_token = me - 1
  answered = 0
  quota = math.floor(attempts / threads)
  statuses = {}
end

request = function()
  local n = next_token % tokens
  next_token = next_token + threads
  local body = string.format('{"edition": %s, "address": %d}', edition, address0 + n)
  return wrk.format("POST", "/api/v1/rounds/" .. round .. "/buy", {
    ["Authorization"] = string.format("Bearer of_bench_%07d", n),
    ["Content-Type"] = "application/json",
  }, body)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  answered = answered + 1
  if answered == quota then
    local marker = io.open(done_file .. me, "w")
    marker:write("done\n")
    marker:close()
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(all_threads) do
    local theirs = thread:get("statuses")
    for status, n in pairs(theirs) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
