-- Claims an idempotency key for one publish.
-- KEYS[1]: the key's Redis key
-- ARGV[1]: the event id to use if the key is new; ARGV[2]: the idempotency window in ms;
-- ARGV[3]: now in ms; ARGV[4]: until when (ms) this claim holds while its publish is in flight
-- Values: 'A|<eventId>' accepted, 'P|<eventId>|<leaseUntilMs>' publish in flight,
-- 'F|<eventId>' publish failed (a retry reuses the event id, so downstream stages can deduplicate).
-- Returns {'new', eventId} (the caller publishes), {'accepted', eventId} or {'pending', eventId}.
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'P|' .. ARGV[1] .. '|' .. ARGV[4], 'PX', ARGV[2])
  return {'new', ARGV[1]}
end
local state = string.sub(value, 1, 1)
local rest = string.sub(value, 3)
if state == 'A' then
  return {'accepted', rest}
end
local eventId = rest
local separator = string.find(rest, '|', 1, true)
if separator then
  eventId = string.sub(rest, 1, separator - 1)
  if state == 'P' and tonumber(string.sub(rest, separator + 1)) > tonumber(ARGV[3]) then
    return {'pending', eventId}
  end
end
-- A failed publish, or an in-flight one whose owner vanished: take it over with the same id.
redis.call('SET', KEYS[1], 'P|' .. eventId .. '|' .. ARGV[4], 'KEEPTTL')
return {'new', eventId}
