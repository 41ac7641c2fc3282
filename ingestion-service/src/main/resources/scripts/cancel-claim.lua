-- Claims the cancellation of an event (DELETE /v1/events/{eventId}) in its meta hash, so that
-- concurrent requests append one cancellation to the event log, all with the first one's time.
-- KEYS[1]: the event's meta hash
-- ARGV[1]: now, the cancellation's time if no request claimed it before; ARGV[2]: now in ms;
-- ARGV[3]: until when (ms) this claim holds while its cancellation is in flight
-- Fields: cancelledAt (the cancellation is durable), cancelling (the time every claim uses, kept
-- after a failed one), cancellingUntil (the lease of the claim in flight).
-- Returns {'gone'}, {'done', cancelledAt}, {'pending', cancelling} (another request's claim is
-- in flight) or {'claimed', cancelling} (the caller appends the cancellation, then settles).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'gone'}
end
local done = redis.call('HGET', KEYS[1], 'cancelledAt')
if done then
  return {'done', done}
end
local at = redis.call('HGET', KEYS[1], 'cancelling')
if not at then
  at = ARGV[1]
  redis.call('HSET', KEYS[1], 'cancelling', at)
end
local lease = redis.call('HGET', KEYS[1], 'cancellingUntil')
if lease and tonumber(lease) > tonumber(ARGV[2]) then
  return {'pending', at}
end
-- No claim in flight, or one whose owner vanished: take it, with the same time.
redis.call('HSET', KEYS[1], 'cancellingUntil', ARGV[3])
return {'claimed', at}
