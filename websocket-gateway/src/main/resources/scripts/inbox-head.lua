-- The state of a user's inbox, after trimming what is past its bounds (loaded after inbox-lib.lua).
-- KEYS[1] the stream, KEYS[2] the seq counter, KEYS[3] notificationId -> seq, KEYS[4] the cursors,
-- KEYS[6] the ids of trimmed notifications kept for deduplication (see inbox-append.lua), KEYS[7]
-- the hidden seqs (see inbox-retract.lua)
-- ARGV[1] the most entries to keep, ARGV[2] retention in seconds, ARGV[3] the deduplication window
-- in seconds
-- Returns {lastSeq, oldestSeq, readUpTo, unread, ackedUpTo}.
local lastSeq, oldestSeq, readUpTo, unread = inboxState(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7],
  tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
local ackedUpTo = tonumber(redis.call('HGET', KEYS[4], 'ack') or '0')
return {lastSeq, oldestSeq, readUpTo, unread, ackedUpTo}
