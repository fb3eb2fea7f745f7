-- wrk script: POST /v2/notifications, push to one user, normal priority.
local token = os.getenv("BENCH_ORDER_TOKEN")
local user = os.getenv("BENCH_USER")
local counter = 0

function request()
  counter = counter + 1
  return wrk.format("POST", "/v2/notifications", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, '{"user_id": "' .. user .. '", "type": "push", "message": "bench ' .. counter .. '", "priority": "normal"}')
end
