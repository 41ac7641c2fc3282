-- Moves one of a user's cursors forward, never back (loaded after inbox-lib.lua): concurrent marks
-- from several devices cannot conflict, the highest wins, and a cursor never passes the last seq
-- handed out.
-- KEYS[1] the stream, KEYS[2] the seq counter, KEYS[3] notificationId -> seq, KEYS[4] the cursors,
-- KEYS[5] the user's presence, KEYS[6] the ids of trimmed notifications kept for deduplication,
-- KEYS[7] the hidden seqs (see inbox-retract.lua)
-- ARGV[1] the cursor ('read' or 'ack'), ARGV[2] upTo, ARGV[3] the most entries to keep,
-- ARGV[4] retention in seconds, ARGV[5] the TTL in seconds of the seq counter and the cursors,
-- both refreshed when a cursor moves (they expire together) unless an append refreshed them within
-- the refresh interval, ARGV[6] the appends' TTL refresh
-- interval in seconds, which every TTL is set longer by (see inbox-append.lua), ARGV[7] the
-- deduplication window in seconds
-- Returns {cursor before, cursor after, lastSeq, unread, readUpTo, node ids...}: when the read
-- cursor moved, the nodes that hold a connection of the user, for the caller to tell every device
-- the new unread count. For the ack cursor, unread and readUpTo are 0 (not counted).
local lastSeq = tonumber(redis.call('GET', KEYS[2]) or '0')
local before = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0')
local after = math.max(before, math.min(tonumber(ARGV[2]), lastSeq))
if after > before then
  redis.call('HSET', KEYS[4], ARGV[1], after)
  -- An append that set the TTLs within the refresh interval left them longer than the counter's TTL
  -- still (inbox-append.lua): an ack right after its notification's append, as every live delivery
  -- has, costs no EXPIRE. This does not note a refresh of its own, since it leaves the history's TTL
  -- to the appends.
  local refreshedAt = redis.call('HGET', KEYS[4], REFRESHED_AT)
  local refreshMs = tonumber(ARGV[6]) * 1000
  if not refreshedAt or refreshMs == 0 or nowMs() - tonumber(refreshedAt) >= refreshMs then
    local ttl = tonumber(ARGV[5]) + tonumber(ARGV[6])
    redis.call('EXPIRE', KEYS[4], ttl)
    redis.call('EXPIRE', KEYS[2], ttl)
  end
end
if ARGV[1] ~= 'read' then
  -- An ack tells no one the unread count: it neither counts nor trims (appends and reads do), which
  -- is most of a read's cost, and every live delivery is acknowledged.
  return {before, after, lastSeq, 0, 0}
end
local _, _, readUpTo, unread = inboxState(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7], tonumber(ARGV[3]),
  tonumber(ARGV[4]), tonumber(ARGV[7]))
local reply = {before, after, lastSeq, unread, readUpTo}
if after > before then
  return withNodes(KEYS[5], reply)
end
return reply
