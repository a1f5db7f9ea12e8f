-- POST /api/images (the SVG fallback: the server has no AI_SERVICE_URL) as a random seeded user. Spreading the
-- requests over the users keeps the per-user rate-limit log as short as real traffic would, instead of one
-- user's log growing by every request of the run.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
local cookies = dofile(here .. "cookies.lua")
math.randomseed(12345)
local body = '{"name":"민지","gender":"여성","feature":"밝은 미소","options":["casual"]}'

request = function()
  return wrk.format("POST", "/api/images",
    { ["Content-Type"] = "application/json", ["Cookie"] = cookies[math.random(1, #cookies)] }, body)
end
