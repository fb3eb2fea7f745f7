-- wrk script: GET /v2/products/search with a rotating set of queries and filters.
local queries = {
  "q=widget", "q=steel+gear", "q=kettle&max_price=100", "q=wireless&in_stock=true",
  "q=%22premium+widget%22", "min_price=10&max_price=20&currency=USD", "q=lamp+-desk", "q=notebook&limit=50",
}
local n = 0

function request()
  n = n + 1
  local query = queries[(n % #queries) + 1]
  return wrk.format("GET", "/v2/products/search?" .. query,
    { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") })
end
