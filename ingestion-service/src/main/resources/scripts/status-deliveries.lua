-- Records the new states of deliveries of one event, each unless the delivery already has a state
-- of a later stage (or of the same stage reached later): a late record of an earlier stage never
-- overwrites a later state.
-- KEYS[1]: meta hash; KEYS[2]: deliveries hash; KEYS[3]: summary hash
-- ARGV[1]: retention in seconds; then 7 arguments per delivery, in the order to apply them:
--   field; stage; at (ms); channel; state; the delivery as JSON;
--   for a device's delivery (push), the field of the same user and channel without a device, or
--   '': routing reports a push 'queued' per channel, delivery then per device, and the devices'
--   states replace the channel's earlier one
-- A delivery is stored as '<stage>|<atMs>|<state>|<json>'. The summary's counts change once per
-- channel and state a call moves, not once per delivery: a fan-out's call of 200 deliveries moves
-- two or three counts. Returns how many were recorded (the others were stale).
local recorded = 0
local added = 0
local counts = {}
local function count(key, delta)
  counts[key] = (counts[key] or 0) + delta
end
for i = 2, #ARGV, 7 do
  local field, stage, at = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local channel, state = ARGV[i + 3], ARGV[i + 4]
  local old = redis.call('HGET', KEYS[2], field)
  local stale = false
  if old then
    local s1 = string.find(old, '|', 1, true)
    local s2 = string.find(old, '|', s1 + 1, true)
    local s3 = string.find(old, '|', s2 + 1, true)
    local oldStage = tonumber(string.sub(old, 1, s1 - 1))
    local oldAt = tonumber(string.sub(old, s1 + 1, s2 - 1))
    if oldStage > stage or (oldStage == stage and oldAt >= at) then
      stale = true
    else
      count(channel .. ':' .. string.sub(old, s2 + 1, s3 - 1), -1)
    end
  else
    added = added + 1
  end
  if not stale then
    redis.call('HSET', KEYS[2], field, ARGV[i + 1] .. '|' .. ARGV[i + 2] .. '|' .. state .. '|' .. ARGV[i + 5])
    count(channel .. ':' .. state, 1)
    recorded = recorded + 1
    local parentField = ARGV[i + 6]
    if parentField ~= '' then
      local parent = redis.call('HGET', KEYS[2], parentField)
      if parent then
        local p1 = string.find(parent, '|', 1, true)
        local p2 = string.find(parent, '|', p1 + 1, true)
        local p3 = string.find(parent, '|', p2 + 1, true)
        if tonumber(string.sub(parent, 1, p1 - 1)) < stage then
          redis.call('HDEL', KEYS[2], parentField)
          count(channel .. ':' .. string.sub(parent, p2 + 1, p3 - 1), -1)
          added = added - 1
        end
      end
    end
  end
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
end
return recorded
