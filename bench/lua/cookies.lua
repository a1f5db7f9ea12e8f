-- Returns the signed session cookies of the seeded users, one Cookie header value per line of COOKIES_FILE.
local cookies = {}
local f = assert(io.open(assert(os.getenv("COOKIES_FILE"), "COOKIES_FILE is not set"), "r"))
for line in f:lines() do if #line > 0 then cookies[#cookies + 1] = line end end
f:close()
assert(#cookies > 0, "COOKIES_FILE is empty")
return cookies
