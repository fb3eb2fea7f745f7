-- wrk script: GET /v2/products/{id} for ids drawn at random from bench/results/product-ids.txt.
local ids = {}

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/v2/products/" .. id, { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") })
end
