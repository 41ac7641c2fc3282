-- Functions shared by the inbox scripts, which are loaded with this file in front of them.

-- Fields of the cursors hash besides the cursors ('read', 'ack'), kept by the append so that it
-- needs no read of the stream's head: the oldest kept seq, its append time, and when the inbox's
-- TTLs were last refreshed (all milliseconds of Redis's clock). A script that trims the inbox
-- otherwise forgets the head, and the next append looks it up again.
local HEAD_SEQ, HEAD_AT, REFRESHED_AT = 'h', 'ht', 'x'
-- And the append time of the oldest id kept for deduplication after its entry was trimmed (see
-- trimInbox), so that an append looks at those ids only when one is due to be forgotten.
local KEPT_SINCE = 'k'

-- Forgets the notification ids kept for deduplication (see trimInbox) of entries appended before
-- keepIdsSinceMs, at most 100 per call, and notes the append time of the oldest one left.
local function forgetTrimmedIds(ids, trimmed, cursors, keepIdsSinceMs)
  local old = redis.call('ZRANGEBYSCORE', trimmed, '-inf', '(' .. keepIdsSinceMs, 'LIMIT', 0, 100)
  if #old > 0 then
    redis.call('HDEL', ids, unpack(old))
    redis.call('ZREM', trimmed, unpack(old))
  end
  local oldest = redis.call('ZRANGE', trimmed, 0, 0, 'WITHSCORES')
  if #oldest > 0 then
    redis.call('HSET', cursors, KEPT_SINCE, oldest[2])
  else
    redis.call('HDEL', cursors, KEPT_SINCE)
  end
end

-- Trims a user's inbox from its oldest end.
-- Removes the oldest entries while their seq is below minSeq (the length bound) or they were
-- appended before cutoffMs (the age bound). The notification id of a removed entry goes too,
-- unless the entry was appended at or after keepIdsSinceMs (the deduplication window): a burst
-- longer than the length bound trims notifications seconds old, which a lane may still deliver
-- again (a batch read again after a crash or a rebalance), so their ids stay in the id hash, and
-- in the `trimmed` sorted set by append time, until forgetTrimmedIds drops them. Entries are
-- contiguous from the oldest seq on, so what goes is always a prefix, and XTRIM MINID drops it;
-- the hidden seqs (see inbox-retract.lua) below the new head go with it, so that set never holds
-- more seqs than the stream has entries.
-- Reads the head `chunk` entries at a time, doubling, and looks at no more than `budget` entries
-- per call, so one call stays cheap; the age bound is also applied at every read (inboxState),
-- which catches up with whatever one call left.
-- Returns the seq and append time of the oldest entry kept, or nothing when it stopped before
-- finding it; whether it removed anything; and whether it stopped for its budget (else, without
-- an entry kept, the stream is empty).
local function trimInbox(stream, ids, trimmed, cursors, hidden, minSeq, cutoffMs, keepIdsSinceMs, budget, chunk)
  local start = '-'
  local looked = 0
  local keepFrom = nil
  local headSeq, headAt = nil, nil
  local ended = false
  local keptSince = nil
  while looked < budget and headSeq == nil do
    local count = math.min(chunk, budget - looked)
    local entries = redis.call('XRANGE', stream, start, '+', 'COUNT', count)
    for _, entry in ipairs(entries) do
      local seq = tonumber(string.match(entry[1], '^(%d+)'))
      local fields = entry[2]
      local id, appendedAt
      for i = 1, #fields, 2 do
        if fields[i] == 'id' then
          id = fields[i + 1]
        elseif fields[i] == 't' then
          appendedAt = tonumber(fields[i + 1])
        end
      end
      if seq >= minSeq and not (appendedAt ~= nil and appendedAt < cutoffMs) then
        headSeq, headAt = seq, appendedAt
        break
      end
      if id and appendedAt ~= nil and appendedAt >= keepIdsSinceMs then
        redis.call('ZADD', trimmed, appendedAt, id)
        keptSince = keptSince or appendedAt
      elseif id then
        redis.call('HDEL', ids, id)
      end
      keepFrom = seq + 1
    end
    looked = looked + #entries
    if headSeq == nil and #entries < count then
      ended = true
      break
    end
    start = '(' .. entries[#entries][1]
    chunk = chunk * 2
  end
  if keepFrom then
    redis.call('XTRIM', stream, 'MINID', keepFrom .. '-0')
    redis.call('ZREMRANGEBYSCORE', hidden, '-inf', '(' .. keepFrom)
  end
  if keptSince then
    redis.call('HSETNX', cursors, KEPT_SINCE, keptSince)
    -- The kept ids live as long as the id hash at most.
    local ttl = redis.call('PTTL', ids)
    if ttl > 0 then
      redis.call('PEXPIRE', trimmed, ttl)
    end
  end
  return headSeq, headAt, keepFrom ~= nil, headSeq == nil and not ended
end

-- The seq of the last entry a stream was given ('<seq>-0'), also when every entry has left it.
local function lastSeqOf(stream)
  local info = redis.call('XINFO', 'STREAM', stream)
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then
      return tonumber(string.match(info[i + 1], '^(%d+)'))
    end
  end
  return 0
end

-- A whole number as a string for redis.call: Redis formats a number argument with '%.17g' (and Lua
-- a number joined to a string with '%.14g'), a floating-point conversion that costs about as much
-- as a short command; '%d' is an integer's.
local function decimal(n)
  return string.format('%d', n)
end

-- Redis's clock in milliseconds: one clock for every gateway node and inbox writer.
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- The state of a user's inbox after trimming what is past its bounds:
-- lastSeq, oldestSeq (lastSeq + 1 when the inbox holds nothing), readUpTo and unread (the kept
-- notifications after the read cursor that are neither retracted nor a retraction: the seqs in
-- `hidden`, which trimming keeps at or above the oldest kept seq).
local function inboxState(stream, seqKey, ids, cursors, trimmedIds, hidden, maxLength, retentionSeconds,
    dedupWindowSeconds)
  local lastSeq = tonumber(redis.call('GET', seqKey) or '0')
  local now = nowMs()
  local headSeq, _, trimmed, exhausted = trimInbox(stream, ids, trimmedIds, cursors, hidden,
    lastSeq - maxLength + 1, now - retentionSeconds * 1000, now - dedupWindowSeconds * 1000, 100, 8)
  if trimmed then
    redis.call('HDEL', cursors, HEAD_SEQ, HEAD_AT)
  end
  local oldestSeq = headSeq or (lastSeq + 1)
  if exhausted then
    -- Old entries may be left beyond the budget: the oldest of them, if any.
    local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
    if #first > 0 then
      oldestSeq = tonumber(string.match(first[1][1], '^(%d+)'))
    end
  end
  local readUpTo = tonumber(redis.call('HGET', cursors, 'read') or '0')
  local from = math.max(readUpTo, oldestSeq - 1)
  local unread = math.max(0, lastSeq - from - redis.call('ZCOUNT', hidden, '(' .. from, '+inf'))
  return lastSeq, oldestSeq, readUpTo, unread
end

-- The reply of a script that changed an inbox: the given values, then the ids of the gateway
-- nodes that hold a connection of the user, each once, for the caller to send the live message
-- to. They are read from the user's presence set, whose members are session ids
-- '<node id>.<uuid>'; a member of another form names no node.
local function withNodes(presence, reply)
  local seen = {}
  for _, session in ipairs(redis.call('ZRANGE', presence, '0', '-1')) do
    local node = string.match(session, '^([^.]+)%.')
    if node and not seen[node] then
      seen[node] = true
      reply[#reply + 1] = node
    end
  end
  return reply
end
