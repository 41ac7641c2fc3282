-- Records counts of one event: a fan-out batch's in-app deliveries whose 'queued' routing reported
-- as one count of their users (docs/adr/037). A count is recorded once, by its id, however often
-- it is read: the summary's 'queued' of its channel and the event's deliveries grow by its users,
-- and its users are kept for the event's list. A later status of each of its deliveries names the
-- count and moves the delivery out of it (status-deliveries.lua), before or after this call.
-- KEYS[1]: meta hash; KEYS[2]: summary hash; KEYS[3]: counts hash
-- ARGV[1]: retention in seconds; then 4 arguments per count: its id; its channel; how many users
--   it counts; what the counts hash keeps of it, '<atMs>|<the users as a JSON array>'
-- Returns how many deliveries the new counts added.
local added = 0
local queued = {}
for i = 2, #ARGV, 4 do
  if redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 3]) == 1 then
    local users = tonumber(ARGV[i + 2])
    queued[ARGV[i + 1]] = (queued[ARGV[i + 1]] or 0) + users
    added = added + users
  end
end
for channel, users in pairs(queued) do
  redis.call('HINCRBY', KEYS[2], channel .. ':queued', users)
end
if added > 0 then
  redis.call('HINCRBY', KEYS[1], 'deliveries', added)
  for k = 1, 3 do
    redis.call('EXPIRE', KEYS[k], ARGV[1])
  end
end
return added
