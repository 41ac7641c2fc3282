-- Functions shared by the inbox scripts, which are loaded with this file in front of them.

-- Trims a user's inbox from its oldest end.
-- Removes the oldest entries while their seq is below minSeq (the length bound) or they were
-- appended before cutoffMs (the age bound), together with their notification ids. Entries are
-- contiguous from the oldest seq on, so what goes is always a prefix, and XTRIM MINID drops it.
-- Looks at no more than `budget` entries per call, so one call stays cheap; the age bound is also
-- applied at every read (inboxState), which catches up with whatever one call left.
local function trimInbox(stream, ids, minSeq, cutoffMs, budget)
  local head = redis.call('XRANGE', stream, '-', '+', 'COUNT', budget)
  local keepFrom = nil
  for _, entry in ipairs(head) do
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
    local old = appendedAt ~= nil and appendedAt < cutoffMs
    if seq >= minSeq and not old then
      break
    end
    if id then
      redis.call('HDEL', ids, id)
    end
    keepFrom = seq + 1
  end
  if keepFrom then
    redis.call('XTRIM', stream, 'MINID', keepFrom .. '-0')
  end
end

-- Redis's clock in milliseconds: one clock for every gateway node and inbox writer.
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- The state of a user's inbox after trimming what is past its bounds:
-- lastSeq, oldestSeq (lastSeq + 1 when the inbox holds nothing), readUpTo and unread (the kept
-- notifications after the read cursor).
local function inboxState(stream, seqKey, ids, cursors, maxLength, retentionSeconds)
  local lastSeq = tonumber(redis.call('GET', seqKey) or '0')
  trimInbox(stream, ids, lastSeq - maxLength + 1, nowMs() - retentionSeconds * 1000, 100)
  local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
  local oldestSeq = lastSeq + 1
  if #first > 0 then
    oldestSeq = tonumber(string.match(first[1][1], '^(%d+)'))
  end
  local readUpTo = tonumber(redis.call('HGET', cursors, 'read') or '0')
  local unread = math.max(0, lastSeq - math.max(readUpTo, oldestSeq - 1))
  return lastSeq, oldestSeq, readUpTo, unread
end
