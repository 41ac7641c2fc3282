-- Settles a claim made by idempotency-claim.lua, provided it is still in flight for the same event.
-- KEYS[1]: the key's Redis key; ARGV[1]: the event id; ARGV[2]: 'A' (published) or 'F' (failed)
local value = redis.call('GET', KEYS[1])
local prefix = 'P|' .. ARGV[1] .. '|'
if value and string.sub(value, 1, string.len(prefix)) == prefix then
  redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[1], 'KEEPTTL')
  return 1
end
return 0
