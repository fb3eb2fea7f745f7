-- wrk script: create-then-pay. Each connection creates an order (POST /v2/orders) and, once it has been
-- created, pays it (POST /v2/payments with pm_card_visa and the order's total). Counts answers by status
-- and method, so "paid" is the number of orders created and paid during the run.
dofile("bench/order.lua")

local unpaid = {}
paid = 0

function request()
  local order = table.remove(unpaid)
  if order then
    return wrk.format("POST", "/v2/payments", order_headers, string.format(
      '{"order_id": "%s", "payment_method_id": "pm_card_visa", "amount": %s, "currency": "USD"}',
      order.id, order.total))
  end
  return order_request(random_products())
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 201 then
    local id = body:match('"id":"(ord_[^"]+)"')
    if id then
      unpaid[#unpaid + 1] = { id = id, total = body:match('"total_amount":([0-9.]+)') }
    elseif body:match('"id":"pay_') then
      paid = paid + 1
    end
  end
end

local base_done = done
function done(summary, latency, requests)
  base_done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("paid")
  end
  io.write("paid: " .. total .. "\n")
end
