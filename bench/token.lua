-- wrk script: POST /oauth/token, client_credentials with HTTP Basic client authentication.
local basic = "Basic " .. os.getenv("BENCH_CLIENT_BASIC")

function request()
  return wrk.format("POST", "/oauth/token", {
    ["Authorization"] = basic,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "grant_type=client_credentials&scope=products%3Aread")
end
