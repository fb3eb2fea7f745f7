-- wrk script: GET /v2/products/{id} for ids drawn at random from bench/results/product-ids.txt.
-- BENCH_DELAY_MS, when set, makes each connection wait that long before each request: a steady load below what
-- the server can take, instead of as many requests as it answers.
local ids = {}
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/v2/products/" .. id, { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") })
end
