-- Appends one notification to a user's inbox, once (loaded after inbox-lib.lua).
-- KEYS[1] the stream ({tenant:user}:stream), KEYS[2] the seq counter, KEYS[3] notificationId -> seq,
-- KEYS[4] the read and ack cursors (and the inbox's head, see above), KEYS[5] the user's presence,
-- KEYS[6] the ids of trimmed notifications still kept for deduplication, by append time,
-- KEYS[7] the hidden seqs (see inbox-retract.lua)
-- ARGV[1] notificationId, ARGV[2] the notification's JSON (an object, without seq),
-- ARGV[3] the most entries to keep, ARGV[4] retention in seconds,
-- ARGV[5] the TTL in seconds of the seq counter and the cursors (at least the retention),
-- ARGV[6] how often, in seconds, the TTLs are refreshed (0: at every append),
-- ARGV[7] the deduplication window in seconds: how long the id of a notification trimmed by the
-- length bound is still recognized
-- Returns {seq, appendedAtMs, node ids...}: the seq positive when appended now, negative (-seq)
-- with appendedAtMs 0 when it had been appended before; then the nodes that hold a connection of
-- the user, which the caller sends the live message to.
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then
  return withNodes(KEYS[5], {-tonumber(existing), 0})
end
local now = nowMs()
local keepIdsSince = now - tonumber(ARGV[7]) * 1000
local retention = tonumber(ARGV[4])
local refreshSeconds = tonumber(ARGV[6])
local seq = redis.call('INCR', KEYS[2])
local headSeq, headAt, refreshedAt
if seq == 1 then
  -- A new counter (a new user, or one whose counter expired): cursors of an earlier counter must
  -- not mark the new seqs read or acknowledged. The stream is empty (it never outlives its counter).
  redis.call('DEL', KEYS[4], KEYS[7])
  headSeq, headAt = 1, now
else
  local meta = redis.call('HMGET', KEYS[4], HEAD_SEQ, HEAD_AT, REFRESHED_AT, KEPT_SINCE)
  headSeq, headAt, refreshedAt = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3])
  if meta[4] and tonumber(meta[4]) < keepIdsSince then
    -- An id is recognised until the first append after it left the window.
    forgetTrimmedIds(KEYS[3], KEYS[6], KEYS[4], keepIdsSince)
  end
end
-- The entry id is '<seq>-0', so the stream id is the seq and XRANGE works on seqs directly;
-- 't' is the append time, which the age bound and the live latency metric read.
redis.call('XADD', KEYS[1], seq .. '-0', 'id', ARGV[1], 't', now, 'n', ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], seq)
-- Ids of trimmed entries go too, so the id hash stays about as small as the stream: deduplication
-- covers the kept history, and the ids of notifications trimmed within the deduplication window
-- (a burst longer than the length bound, which a lane may still deliver again). The head kept in the
-- cursors hash says whether anything is past a bound, so an append reads the stream only to trim.
local minSeq = seq - tonumber(ARGV[3]) + 1
local cutoff = now - retention * 1000
local headChanged = seq == 1
if headSeq == nil or headAt == nil then
  headSeq, headAt = trimInbox(KEYS[1], KEYS[3], KEYS[6], KEYS[4], KEYS[7], minSeq, cutoff, keepIdsSince, 100, 8)
  headChanged = true
elseif headSeq < minSeq or headAt < cutoff then
  headSeq, headAt = trimInbox(KEYS[1], KEYS[3], KEYS[6], KEYS[4], KEYS[7], minSeq, cutoff, keepIdsSince, 100,
    math.max(2, minSeq - headSeq + 1))
  headChanged = true
end
-- Every key expires, so no user id, however invented, leaves a key behind for good. The history
-- and the id index go once every entry is older than the retention; the seq counter and the
-- cursors live on for a margin beyond it (ARGV[5]), so that a client resuming a seq of a live
-- inbox never meets a restarted counter. Once the counter has expired too, seqs start at 1 again;
-- a client holding a higher seq gets 'reset' (unknown_seq). The TTLs are refreshed together, at
-- most once per ARGV[6] seconds, each that much longer than its bound: a key outlives its last
-- append by at least its bound, and by at most the bound and the refresh interval.
local refresh = refreshedAt == nil or now - refreshedAt >= refreshSeconds * 1000
if headSeq == nil then
  redis.call('HDEL', KEYS[4], HEAD_SEQ, HEAD_AT)
end
if refresh and headSeq then
  redis.call('HSET', KEYS[4], HEAD_SEQ, headSeq, HEAD_AT, headAt or now, REFRESHED_AT, now)
elseif refresh then
  redis.call('HSET', KEYS[4], REFRESHED_AT, now)
elseif headChanged and headSeq then
  redis.call('HSET', KEYS[4], HEAD_SEQ, headSeq, HEAD_AT, headAt or now)
end
if refresh then
  -- After the cursors hash is written: EXPIRE on a key that does not exist yet does nothing.
  redis.call('EXPIRE', KEYS[1], retention + refreshSeconds)
  redis.call('EXPIRE', KEYS[3], retention + refreshSeconds)
  redis.call('EXPIRE', KEYS[6], retention + refreshSeconds)
  redis.call('EXPIRE', KEYS[7], retention + refreshSeconds)
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]) + refreshSeconds)
  redis.call('EXPIRE', KEYS[4], tonumber(ARGV[5]) + refreshSeconds)
end
return withNodes(KEYS[5], {seq, now})
