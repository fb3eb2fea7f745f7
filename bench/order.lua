-- wrk script: POST /v2/orders of one unit of a product drawn at random from the file given as argument
-- (or always the first one, for the hot-product scenario). Counts answers by status.
ids = {}
threads = {}
counts = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

order_headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_ORDER_TOKEN"),
                  ["Content-Type"] = "application/json" }

function order_request(product)
  return wrk.format("POST", "/v2/orders", order_headers, string.format(
    '{"user_id": "%s", "items": [{"product_id": "%s", "quantity": 1}], ' ..
    '"shipping_address": {"street": "1 Bench St", "city": "Loadville", "zip_code": "12345", "country": "US"}}',
    os.getenv("BENCH_USER"), product))
end

function request()
  return order_request(ids[math.random(#ids)])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    parts[#parts + 1] = status .. "=" .. n
  end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, " ") .. "\n")
end
