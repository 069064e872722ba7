-- wrk script for `manage.py bench`. BENCH_MODE=vote: PUT /api/v1/posts/{id}/vote with a
-- bearer token, each thread walking its own share of the tokens of_bench_<n>
-- (BENCH_TOKEN_FIRST .. BENCH_TOKEN_FIRST + BENCH_TOKENS - 1, so every request is a new
-- fan until they run out) on a random post of BENCH_POST_LO..BENCH_POST_HI.
-- Any other mode: the URL given on the command line, with the cookie BENCH_COOKIE if set
-- (a signed-in fan's session); BENCH_MODE=get_token: the same URL with the bearer tokens
-- walked as for votes (a token's own limit would refuse one token's rush). `done` prints
-- one JSON line.
local mode = os.getenv("BENCH_MODE") or "get"
local post_lo = tonumber(os.getenv("BENCH_POST_LO") or "1")
local post_hi = tonumber(os.getenv("BENCH_POST_HI") or "1")
local token_first = tonumber(os.getenv("BENCH_TOKEN_FIRST") or "0")
local tokens = tonumber(os.getenv("BENCH_TOKENS") or "1")
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local cookie = os.getenv("BENCH_COOKIE")

local counter = 1
setup = function(thread)
  thread:set("index", counter)
  counter = counter + 1
end

-- thread:set makes `index` a global of the thread's own Lua state before init runs.
local next_token
init = function(args)
  local me = tonumber(rawget(_G, "index")) or 1
  next_token = me - 1
  math.randomseed(me * 7919 + os.time())
end

local function walk_token()
  local token = string.format("of_bench_%07d", token_first + next_token % tokens)
  next_token = next_token + threads
  return token
end

request = function()
  if mode == "get_token" then
    return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. walk_token()})
  end
  if mode ~= "vote" then
    if cookie then
      return wrk.format("GET", nil, {["Cookie"] = cookie})
    end
    return wrk.format("GET")
  end
  local token = walk_token()
  local post = math.random(post_lo, post_hi)
  return wrk.format("PUT", "/api/v1/posts/" .. post .. "/vote",
    {["Authorization"] = "Bearer " .. token})
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
