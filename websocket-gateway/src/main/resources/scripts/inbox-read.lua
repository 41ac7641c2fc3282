-- Reads entries of a user's inbox together with whether each is hidden, in one atomic step: a
-- retraction or a trim between a read of the stream and a read of the hidden seqs could otherwise
-- show a retracted notification. Reads only, so readers create no key.
-- KEYS[1] the stream, KEYS[2] the hidden seqs (see inbox-retract.lua)
-- ARGV[1] 'after': the entries after entry id ARGV[2], oldest first, at most ARGV[3] of them,
-- hidden ones included (each flagged);
-- 'before': the entries before entry id ARGV[2] that are shown (neither retracted nor a
-- retraction), newest first, at most ARGV[3] of them, looking at no more than ARGV[4] entries
-- Returns {next, entry...}, each entry {entry id, {field, value, ...}, hidden (1 or 0)}; next is,
-- for 'before', the seq to go on before when older entries may be left (the read stopped with
-- ARGV[3] entries or for its budget), 0 when it reached the oldest entry, and 0 for 'after'.
local mode, count = ARGV[1], tonumber(ARGV[3])

local function seqOf(entry)
  return tonumber(string.match(entry[1], '^(%d+)'))
end

-- Whether an entry is a retraction (its field 'r' names the notification it retracts).
local function isRetraction(entry)
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'r' then
      return true
    end
  end
  return false
end

-- The hidden seqs from lowest to highest, as a set.
local function hiddenBetween(lowest, highest)
  local set = {}
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], lowest, highest)) do
    set[tonumber(member)] = true
  end
  return set
end

local reply = {0}
if mode == 'after' then
  local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[2], '+', 'COUNT', count)
  if #entries > 0 then
    local hidden = hiddenBetween(seqOf(entries[1]), seqOf(entries[#entries]))
    for _, entry in ipairs(entries) do
      reply[#reply + 1] = {entry[1], entry[2], hidden[seqOf(entry)] and 1 or 0}
    end
  end
  return reply
end
local budget = tonumber(ARGV[4])
local bound = ARGV[2]
local shown, looked, oldestLooked = 0, 0, nil
while true do
  if shown >= count or looked >= budget then
    reply[1] = oldestLooked or 0
    break
  end
  local wanted = math.min(count - shown, budget - looked)
  local entries = redis.call('XREVRANGE', KEYS[1], '(' .. bound, '-', 'COUNT', wanted)
  if #entries == 0 then
    break
  end
  looked = looked + #entries
  oldestLooked = seqOf(entries[#entries])
  local hidden = hiddenBetween(oldestLooked, seqOf(entries[1]))
  for _, entry in ipairs(entries) do
    if not hidden[seqOf(entry)] and not isRetraction(entry) then
      reply[#reply + 1] = {entry[1], entry[2], 0}
      shown = shown + 1
    end
  end
  if #entries < wanted then
    break
  end
  bound = entries[#entries][1]
end
return reply
