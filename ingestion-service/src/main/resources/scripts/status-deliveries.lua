-- Records the new states of deliveries of one event, each unless the delivery already has a state
-- of a later stage (or of the same stage and more evidence, or as much and reached later): a late
-- record of an earlier stage never overwrites a later state. Evidence orders the final stage as
-- DeliveryState.evidence() does: delivered over failed over dead-lettered.
-- KEYS[1]: meta hash; KEYS[2]: deliveries hash; KEYS[3]: summary hash; KEYS[4...]: the recent
--   deliveries (sorted sets) of the users of this call, when this call keeps them (standalone Redis)
-- ARGV[1]: retention in seconds; ARGV[2]: how many recent deliveries a user keeps; ARGV[3]: the
--   event id; then 9 arguments per delivery, in the order to apply them:
--   field; stage; at (ms); channel; state; the delivery's detail (StatusStore's format);
--   for a device's delivery (push), the field of the same user and channel without a device, or
--   '': routing reports a push 'queued' per channel, delivery then per device, and the devices'
--   states replace the channel's earlier one;
--   the position in KEYS of the user's recent deliveries, or 0 when the caller keeps them itself;
--   the count the delivery's 'queued' was in (status-counts.lua), or ''
-- A delivery is stored as '<stage>[,<count>...]|<atMs>|<state>|<detail>': the counts listed are
-- those the delivery was moved out of; the detail is what the caller passed, this script does
-- not read it. The first record naming a count moves the delivery out of
-- it, stale or not (its 'queued' no longer counted, the delivery counted as its field), whatever
-- the order in which the count and the record arrive; a later record keeps the list. The
-- summary's counts change once per channel and state a call moves, not once per delivery: a
-- fan-out's call of 200 deliveries moves two or three counts. A user's recent deliveries are
-- '<eventId>|<channel>[|<device>]' scored by the time of the state recorded, the newest ARGV[2]
-- kept, the key gone between the retention and a hundredth more after its last change. Returns
-- how many were recorded (the others were stale).
local recorded = 0
local added = 0
local counts = {}
local function count(key, delta)
  counts[key] = (counts[key] or 0) + delta
end
local evidence = { ['delivered'] = 3, ['failed'] = 2, ['dead-lettered'] = 1 }
local keep, eventId = tonumber(ARGV[2]), ARGV[3]
-- Numbers for redis.call as strings, formatted once per call: Redis formats a number argument with
-- '%.17g' at every command, a floating-point conversion that costs about as much as a short command.
local trimStop = string.format('%d', -keep - 1)
local retention = tonumber(ARGV[1])
local recentTtl = string.format('%d', retention + math.floor(retention / 100))
local recent = {}
-- The field without its user: user ids hold no '|'.
local function member(field)
  local separator = string.find(field, '|', 1, true)
  return eventId .. string.sub(field, separator)
end
-- A stored delivery's stage and the counts it was moved out of (',<count>...', or ''), from the part
-- of its value before the first '|'.
local function stageAndMarks(head)
  local comma = string.find(head, ',', 1, true)
  if comma then
    return tonumber(string.sub(head, 1, comma - 1)), string.sub(head, comma)
  end
  return tonumber(head), ''
end
-- The deliveries hash is read once and written once per call, not per delivery: one HMGET of the
-- call's fields before, one HSET (and an HDEL for the replaced channel states) after; in between,
-- what the call wrote is what it reads. A fan-out's call of 200 deliveries costs Redis two
-- commands on the hash instead of 200, and its append-only file one key name instead of 200.
local fields = {}
local wanted = {}
for i = 4, #ARGV, 9 do
  wanted[#wanted + 1] = ARGV[i]
end
-- In commands of at most 1,000 arguments: unpack puts them all on Lua's stack.
for from = 1, #wanted, 1000 do
  local to = math.min(#wanted, from + 999)
  local stored = redis.call('HMGET', KEYS[2], unpack(wanted, from, to))
  for n = from, to do
    fields[wanted[n]] = stored[n - from + 1]
  end
end
-- The fields this call changed, in the order of their first change; each ends written or deleted.
local changed, isChanged = {}, {}
local function read(field)
  local value = fields[field]
  if value == nil then
    value = redis.call('HGET', KEYS[2], field)
    fields[field] = value
  end
  return value or nil
end
local function write(field, value)
  if not isChanged[field] then
    changed[#changed + 1] = field
    isChanged[field] = true
  end
  fields[field] = value
end
for i = 4, #ARGV, 9 do
  local field, stage, at = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local channel, state, countId = ARGV[i + 3], ARGV[i + 4], ARGV[i + 8]
  local old = read(field)
  local stale = false
  local marks = ''
  local s1
  if old then
    s1 = string.find(old, '|', 1, true)
    local s2 = string.find(old, '|', s1 + 1, true)
    local s3 = string.find(old, '|', s2 + 1, true)
    local oldStage
    oldStage, marks = stageAndMarks(string.sub(old, 1, s1 - 1))
    local oldAt = tonumber(string.sub(old, s1 + 1, s2 - 1))
    local oldEvidence = evidence[string.sub(old, s2 + 1, s3 - 1)] or 0
    local newEvidence = evidence[state] or 0
    if oldStage > stage or (oldStage == stage
        and (oldEvidence > newEvidence or (oldEvidence == newEvidence and oldAt >= at))) then
      stale = true
    else
      count(channel .. ':' .. string.sub(old, s2 + 1, s3 - 1), -1)
    end
  else
    added = added + 1
  end
  if countId ~= '' and not string.find(marks .. ',', ',' .. countId .. ',', 1, true) then
    -- Out of the count: it counted this delivery as queued, its field counts it now.
    marks = marks .. ',' .. countId
    count(channel .. ':queued', -1)
    added = added - 1
    if stale then
      write(field, string.sub(old, 1, s1 - 1) .. ',' .. countId .. string.sub(old, s1))
    end
  end
  if not stale then
    write(field, ARGV[i + 1] .. marks .. '|' .. ARGV[i + 2] .. '|' .. state .. '|' .. ARGV[i + 5])
    count(channel .. ':' .. state, 1)
    recorded = recorded + 1
    local userKey = KEYS[tonumber(ARGV[i + 7])]
    if userKey and keep > 0 then
      if redis.call('ZADD', userKey, ARGV[i + 2], member(field)) == 1 then
        redis.call('ZREMRANGEBYRANK', userKey, '0', trimStop)
      end
      recent[userKey] = true
    end
    local parentField = ARGV[i + 6]
    if parentField ~= '' then
      local parent = read(parentField)
      if parent then
        local p1 = string.find(parent, '|', 1, true)
        local p2 = string.find(parent, '|', p1 + 1, true)
        local p3 = string.find(parent, '|', p2 + 1, true)
        if stageAndMarks(string.sub(parent, 1, p1 - 1)) < stage then
          write(parentField, false)
          count(channel .. ':' .. string.sub(parent, p2 + 1, p3 - 1), -1)
          added = added - 1
          if userKey then
            redis.call('ZREM', userKey, member(parentField))
          end
        end
      end
    end
  end
end
local sets, deletes = {}, {}
for _, field in ipairs(changed) do
  if fields[field] then
    sets[#sets + 1] = field
    sets[#sets + 1] = fields[field]
  else
    deletes[#deletes + 1] = field
  end
end
for from = 1, #sets, 1000 do
  redis.call('HSET', KEYS[2], unpack(sets, from, math.min(#sets, from + 999)))
end
for from = 1, #deletes, 1000 do
  redis.call('HDEL', KEYS[2], unpack(deletes, from, math.min(#deletes, from + 999)))
end
for key, delta in pairs(counts) do
  if delta ~= 0 then
    redis.call('HINCRBY', KEYS[3], key, delta)
  end
end
if added ~= 0 then
  redis.call('HINCRBY', KEYS[1], 'deliveries', added)
end
if recorded > 0 then
  for k = 1, 3 do
    redis.call('EXPIRE', KEYS[k], ARGV[1])
  end
  -- A user's recent deliveries live on for a hundredth of the retention beyond it, so that
  -- their TTL is set again once that much has passed, not at every call: a fan-out's
  -- recipients cost no write for it.
  for userKey in pairs(recent) do
    if redis.call('TTL', userKey) < retention then
      redis.call('EXPIRE', userKey, recentTtl)
    end
  end
end
return recorded
