-- Settles a claimed cancellation (cancel-claim.lua).
-- KEYS[1]: the event's meta hash; KEYS[2]: the event's cancellation mark for delivery (same slot)
-- ARGV[1]: 'done' (the cancellation is durably on the event log) or 'failed' (a retry may claim it
-- again); ARGV[2]: the cancellation's time; ARGV[3]: its reason; ARGV[4]: how long the mark lasts (ms)
-- Returns the event's cancelledAt, or '' after a failure.
local exists = redis.call('EXISTS', KEYS[1]) == 1
if exists then
  redis.call('HDEL', KEYS[1], 'cancellingUntil')
end
if ARGV[1] ~= 'done' then
  return ''
end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
if not exists then
  return ARGV[2]
end
redis.call('HSETNX', KEYS[1], 'cancelledAt', ARGV[2])
return redis.call('HGET', KEYS[1], 'cancelledAt')
