-- PUT /users/me/profile as a random seeded user with a random valid body, so (almost) every UPDATE changes a row.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
local cookies = dofile(here .. "cookies.lua")
math.randomseed(12345)
local genders = { "남성", "여성" }

request = function()
  local body = string.format('{"birthday":"%04d-%02d-%02d","gender":"%s"}',
    math.random(1950, 2005), math.random(1, 12), math.random(1, 28), genders[math.random(1, 2)])
  return wrk.format("PUT", "/users/me/profile",
    { ["Content-Type"] = "application/json", ["Cookie"] = cookies[math.random(1, #cookies)] }, body)
end
