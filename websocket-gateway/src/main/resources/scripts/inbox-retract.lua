-- Retracts one notification from a user's inbox, once (loaded after inbox-lib.lua; docs/adr/029).
-- The notification's entry stays where it is, so seqs stay gapless; the retraction is an entry of
-- its own with the next seq ('r' names the notification id, 'id' is 'r:<notification id>', so the
-- id index makes it idempotent and trimming forgets it like any entry). Both seqs go into the
-- hidden set: readers list neither as a notification, and neither counts as unread.
-- KEYS as inbox-append.lua: KEYS[1] the stream, KEYS[2] the seq counter, KEYS[3] notificationId ->
-- seq, KEYS[4] the cursors, KEYS[5] the user's presence, KEYS[6] the trimmed ids, KEYS[7] the
-- hidden seqs
-- ARGV[1] the notification id, ARGV[2] the most entries to keep, ARGV[3] retention in seconds,
-- ARGV[4] the appends' TTL refresh interval in seconds, ARGV[5] the deduplication window in seconds
-- Returns {seq, appendedAtMs, retractedSeq, unread, readUpTo, node ids...} when retracted now, then
-- the nodes that hold a connection of the user; {-seq} (the seq of the retraction's entry, and
-- nothing else) when retracted before; {0} when the inbox does not hold the notification (never
-- delivered, trimmed, or erased). The last two change nothing and tell no device anything: a
-- retraction read again after a crash takes no second seq and sends no second frame.
local marker = 'r:' .. ARGV[1]
local done = redis.call('HGET', KEYS[3], marker)
if done then
  return {-tonumber(done)}
end
local target = redis.call('HGET', KEYS[3], ARGV[1])
if not target then
  return {0}
end
local targetId = target .. '-0'
if #redis.call('XRANGE', KEYS[1], targetId, targetId) == 0 then
  return {0}
end
local now = nowMs()
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], seq .. '-0', 'id', marker, 't', now, 'r', ARGV[1])
redis.call('HSET', KEYS[3], marker, seq)
redis.call('ZADD', KEYS[7], tonumber(target), target, seq, seq)
-- The hidden seqs live as long as the entries they are of (trimming drops them with the entries).
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[7], ttl)
else
  redis.call('EXPIRE', KEYS[7], tonumber(ARGV[3]) + tonumber(ARGV[4]))
end
local _, _, readUpTo, unread = inboxState(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7],
  tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5]))
return withNodes(KEYS[5], {seq, now, tonumber(target), unread, readUpTo})
