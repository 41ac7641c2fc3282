-- Records a delivery's new state unless the delivery already has a state of a later stage (or of
-- the same stage reached later): a late record of an earlier stage never overwrites a later state.
-- KEYS[1]: meta hash; KEYS[2]: deliveries hash; KEYS[3]: summary hash
-- ARGV[1]: delivery field; ARGV[2]: stage; ARGV[3]: at (ms); ARGV[4]: channel; ARGV[5]: state;
-- ARGV[6]: the delivery as JSON; ARGV[7]: retention in seconds
-- ARGV[8]: for a device's delivery (push), the field of the same user and channel without a
-- device, or '': routing reports a push 'queued' per channel, delivery then per device, and the
-- devices' states replace the channel's earlier one
-- A delivery is stored as '<stage>|<atMs>|<state>|<json>'. Returns 1 if recorded, 0 if stale.
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then
  local s1 = string.find(old, '|', 1, true)
  local s2 = string.find(old, '|', s1 + 1, true)
  local s3 = string.find(old, '|', s2 + 1, true)
  local oldStage = tonumber(string.sub(old, 1, s1 - 1))
  local oldAt = tonumber(string.sub(old, s1 + 1, s2 - 1))
  local stage = tonumber(ARGV[2])
  if oldStage > stage or (oldStage == stage and oldAt >= tonumber(ARGV[3])) then
    return 0
  end
  redis.call('HINCRBY', KEYS[3], ARGV[4] .. ':' .. string.sub(old, s2 + 1, s3 - 1), -1)
else
  redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[5] .. '|' .. ARGV[6])
redis.call('HINCRBY', KEYS[3], ARGV[4] .. ':' .. ARGV[5], 1)
if ARGV[8] ~= '' then
  local parent = redis.call('HGET', KEYS[2], ARGV[8])
  if parent then
    local p1 = string.find(parent, '|', 1, true)
    local p2 = string.find(parent, '|', p1 + 1, true)
    local p3 = string.find(parent, '|', p2 + 1, true)
    if tonumber(string.sub(parent, 1, p1 - 1)) < tonumber(ARGV[2]) then
      redis.call('HDEL', KEYS[2], ARGV[8])
      redis.call('HINCRBY', KEYS[3], ARGV[4] .. ':' .. string.sub(parent, p2 + 1, p3 - 1), -1)
      redis.call('HINCRBY', KEYS[1], 'deliveries', -1)
    end
  end
end
for i = 1, 3 do
  redis.call('EXPIRE', KEYS[i], ARGV[7])
end
return 1
