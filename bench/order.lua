-- wrk script: POST /v2/orders with a fresh Idempotency-Key each, of one unit each of LINES products drawn at
-- random from the file given as first argument (LINES is the second argument, 1 when absent; a file of one id
-- gives the hot-product scenario, always one line). Counts answers by status.
ids = {}
threads = {}
counts = {}

function setup(thread)
  table.insert(threads, thread)
end

lines = 1
sent = 0

function init(args)
  for line in io.lines(args[1]) do
    ids[#ids + 1] = line
  end
  lines = math.min(tonumber(args[2] or "1"), #ids)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  key_prefix = string.format("bench-%d-%d", os.time(), math.random(1000000000))
end

order_headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_ORDER_TOKEN"),
                  ["Content-Type"] = "application/json" }

function order_request(products)
  local items = {}
  for i, product in ipairs(products) do
    items[i] = string.format('{"product_id": "%s", "quantity": 1}', product)
  end
  sent = sent + 1
  local headers = { ["Authorization"] = order_headers["Authorization"], ["Content-Type"] = "application/json",
                    ["Idempotency-Key"] = key_prefix .. "-" .. sent }
  return wrk.format("POST", "/v2/orders", headers, string.format(
    '{"user_id": "%s", "items": [%s], ' ..
    '"shipping_address": {"street": "1 Bench St", "city": "Loadville", "zip_code": "12345", "country": "US"}}',
    os.getenv("BENCH_USER"), table.concat(items, ", ")))
end

-- LINES distinct products at random.
function random_products()
  local chosen, seen = {}, {}
  while #chosen < lines do
    local id = ids[math.random(#ids)]
    if not seen[id] then
      seen[id] = true
      chosen[#chosen + 1] = id
    end
  end
  return chosen
end

function request()
  return order_request(random_products())
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
