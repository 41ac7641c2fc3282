-- Appends one notification to a user's inbox, once.
-- KEYS[1] the stream ({tenant:user}:stream), KEYS[2] the seq counter, KEYS[3] notificationId -> seq
-- ARGV[1] notificationId, ARGV[2] the notification's JSON (an object, without seq),
-- ARGV[3] the most entries to keep, ARGV[4] retention in seconds, ARGV[5] the live channel
-- Returns the seq: positive when appended now, negative (-seq) when it had been appended before.
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then
  return -tonumber(existing)
end
local seq = redis.call('INCR', KEYS[2])
-- The entry id is '<seq>-0', so the stream id is the seq and XRANGE works on seqs directly.
redis.call('XADD', KEYS[1], seq .. '-0', 'id', ARGV[1], 'n', ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], seq)
local oldest = seq - tonumber(ARGV[3]) + 1
if oldest > 1 then
  -- Forget the ids of trimmed entries too, so the id hash stays as small as the stream:
  -- deduplication covers the kept history (a trimmed notification is already long delivered).
  local trimmed = redis.call('XRANGE', KEYS[1], '-', '(' .. oldest .. '-0')
  for _, entry in ipairs(trimmed) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'id' then
        redis.call('HDEL', KEYS[3], fields[i + 1])
      end
    end
  end
  redis.call('XTRIM', KEYS[1], 'MINID', oldest .. '-0')
end
local ttl = tonumber(ARGV[4])
-- The history and the id index expire with inactivity; the seq counter never does, so a user's
-- seq keeps growing without restarting at 1 (a client resuming an old seq gets 'reset', not a
-- reused number). It is one small key per user; erasing the user deletes it.
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[3], ttl)
redis.call('PUBLISH', ARGV[5], '{"seq":' .. seq .. ',' .. string.sub(ARGV[2], 2))
return seq
