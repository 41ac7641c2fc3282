-- Appends notifications to users' inboxes, each once (loaded after inbox-lib.lua): one append or
-- many in one call, in order. On a standalone Redis one call appends for many users, which costs
-- Redis one command instead of one per user; on a Redis Cluster each call appends for one user,
-- whose keys share a slot.
-- KEYS: 7 per append, in order: the stream ({tenant:user}:stream), the seq counter,
-- notificationId -> seq, the read and ack cursors (and the inbox's head, see above), the user's
-- presence, the ids of trimmed notifications still kept for deduplication, by append time, and the
-- hidden seqs (see inbox-retract.lua)
-- ARGV[1] the most entries to keep, ARGV[2] retention in seconds,
-- ARGV[3] the TTL in seconds of the seq counter and the cursors (at least the retention),
-- ARGV[4] how often, in seconds, the TTLs are refreshed (0: at every append),
-- ARGV[5] the deduplication window in seconds: how long the id of a notification trimmed by the
-- length bound is still recognized;
-- then 2 per append, in the order of KEYS: the notificationId, and the notification's JSON (an
-- object, without seq)
-- Returns one reply per append, in order, each {seq, appendedAtMs, node ids...}: the seq positive
-- when appended now, negative (-seq) with appendedAtMs 0 when it had been appended before; then the
-- nodes that hold a connection of the user, which the caller sends the live message to.
local maxLength = tonumber(ARGV[1])
local retention = tonumber(ARGV[2])
local counterTtl = tonumber(ARGV[3])
local refreshSeconds = tonumber(ARGV[4])
local dedupWindow = tonumber(ARGV[5])
-- One time for every append of the call: a script runs at once, so they are appended at one instant.
local now = nowMs()
local nowText = decimal(now)
local historyTtl = decimal(retention + refreshSeconds)
local counterKeyTtl = decimal(counterTtl + refreshSeconds)
local keepIdsSince = now - dedupWindow * 1000

-- Moves the seq counter and the id's seq on after the history's last seq, which clients may hold;
-- returns the new seq.
local function goOnAfter(keys, id, last)
  local seq = last + 1
  redis.call('SET', keys[2], decimal(seq), 'KEEPTTL')
  redis.call('HSET', keys[3], id, decimal(seq))
  return seq
end

-- One append; keys are the 7 keys of its user's inbox.
local function append(keys, id, json)
  -- The next seq, and the id recorded with it unless it is there already: two commands for a new
  -- notification, where a lookup first would take three. A duplicate gives its seq back.
  local seq = redis.call('INCR', keys[2])
  local seqText = decimal(seq)
  local created = seq == 1
  if redis.call('HSETNX', keys[3], id, seqText) == 0 then
    if created then
      redis.call('DEL', keys[2])
    else
      redis.call('DECR', keys[2])
    end
    return withNodes(keys[5], {-tonumber(redis.call('HGET', keys[3], id)), 0})
  end
  local fresh = created
  if fresh and redis.call('EXISTS', keys[1]) == 1 then
    -- The counter is gone but the history is not: the inbox's keys were deleted one at a time, not
    -- together as an erasure does. Seqs go on after the history's last, which clients may hold,
    -- instead of failing every append until the counter passes it.
    seq = goOnAfter(keys, id, lastSeqOf(keys[1]))
    seqText = decimal(seq)
    fresh = false
  end
  local headSeq, headAt, refreshedAt
  if fresh then
    -- A new counter (a new user, or one whose counter expired): cursors of an earlier counter must
    -- not mark the new seqs read or acknowledged. The stream is empty (it never outlives its counter).
    redis.call('DEL', keys[4], keys[7])
    headSeq, headAt = 1, now
  else
    local meta = redis.call('HMGET', keys[4], HEAD_SEQ, HEAD_AT, REFRESHED_AT, KEPT_SINCE)
    headSeq, headAt, refreshedAt = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3])
    if meta[4] and tonumber(meta[4]) < keepIdsSince then
      -- An id is recognised until the first append after it left the window.
      forgetTrimmedIds(keys[3], keys[6], keys[4], keepIdsSince)
    end
  end
  -- The entry id is '<seq>-0', so the stream id is the seq and XRANGE works on seqs directly;
  -- 't' is the append time, which the age bound and the live latency metric read.
  local added = redis.pcall('XADD', keys[1], seqText .. '-0', 'id', id, 't', nowText, 'n', json)
  if type(added) == 'table' and added.err then
    local last = (redis.call('TYPE', keys[1])['ok'] == 'stream') and lastSeqOf(keys[1]) or 0
    if last < seq then
      -- A script's writes stay: the id and the seq are taken back, so that the seqs stay gapless
      -- and the append can be tried again.
      redis.call('HDEL', keys[3], id)
      if created then
        redis.call('DEL', keys[2])
      else
        redis.call('DECR', keys[2])
      end
      error(added)
    end
    -- The counter is behind the history (set back by hand, or restored apart from it): seqs go on
    -- after the history's last, as when the counter is gone.
    seq = goOnAfter(keys, id, last)
    redis.call('XADD', keys[1], decimal(seq) .. '-0', 'id', id, 't', nowText, 'n', json)
  end
  -- Ids of trimmed entries go too, so the id hash stays about as small as the stream: deduplication
  -- covers the kept history, and the ids of notifications trimmed within the deduplication window
  -- (a burst longer than the length bound, which a lane may still deliver again). The head kept in the
  -- cursors hash says whether anything is past a bound, so an append reads the stream only to trim.
  local minSeq = seq - maxLength + 1
  local cutoff = now - retention * 1000
  local headChanged = seq == 1
  if headSeq == nil or headAt == nil then
    headSeq, headAt = trimInbox(keys[1], keys[3], keys[6], keys[4], keys[7], minSeq, cutoff, keepIdsSince, 100, 8)
    headChanged = true
  elseif headSeq < minSeq or headAt < cutoff then
    headSeq, headAt = trimInbox(keys[1], keys[3], keys[6], keys[4], keys[7], minSeq, cutoff, keepIdsSince, 100,
      math.max(2, minSeq - headSeq + 1))
    headChanged = true
  end
  -- Every key expires, so no user id, however invented, leaves a key behind for good. The history
  -- and the id index go once every entry is older than the retention; the seq counter and the
  -- cursors live on for a margin beyond it (the counter's TTL), so that a client resuming a seq of a live
  -- inbox never meets a restarted counter. Once the counter has expired too, seqs start at 1 again;
  -- a client holding a higher seq gets 'reset' (unknown_seq). The TTLs are refreshed together, at
  -- most once per refresh interval, each that much longer than its bound: a key outlives its last
  -- append by at least its bound, and by at most the bound and the refresh interval.
  -- A counter this append created has no TTL yet, also when the cursors say the TTLs are fresh.
  local refresh = created or refreshedAt == nil or now - refreshedAt >= refreshSeconds * 1000
  if headSeq == nil then
    redis.call('HDEL', keys[4], HEAD_SEQ, HEAD_AT)
  end
  if refresh and headSeq then
    redis.call('HSET', keys[4], HEAD_SEQ, decimal(headSeq), HEAD_AT, decimal(headAt or now), REFRESHED_AT, nowText)
  elseif refresh then
    redis.call('HSET', keys[4], REFRESHED_AT, nowText)
  elseif headChanged and headSeq then
    redis.call('HSET', keys[4], HEAD_SEQ, decimal(headSeq), HEAD_AT, decimal(headAt or now))
  end
  if refresh then
    -- After the cursors hash is written: EXPIRE on a key that does not exist yet does nothing.
    redis.call('EXPIRE', keys[1], historyTtl)
    redis.call('EXPIRE', keys[3], historyTtl)
    redis.call('EXPIRE', keys[6], historyTtl)
    redis.call('EXPIRE', keys[7], historyTtl)
    redis.call('EXPIRE', keys[2], counterKeyTtl)
    redis.call('EXPIRE', keys[4], counterKeyTtl)
  end
  return withNodes(keys[5], {seq, now})
end

local replies = {}
for i = 0, #KEYS / 7 - 1 do
  local k = 7 * i
  replies[i + 1] = append({ KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 7] },
    ARGV[6 + 2 * i], ARGV[7 + 2 * i])
end
return replies
