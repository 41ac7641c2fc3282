-- Records deliveries among a user's recent ones where status-deliveries.lua cannot (a Redis
-- Cluster, where the user's key and the event's keys lie in different slots): each
-- '<eventId>|<channel>[|<device>]' scored by the time of its latest record, the newest kept.
-- Without the delivery's stored state at hand, a score only grows (GT); a delivery whose record
-- is gone (a push's channel entry replaced by its devices) is skipped when read.
-- KEYS[1]: the user's recent deliveries (sorted set)
-- ARGV[1]: retention in seconds; ARGV[2]: how many to keep; then pairs of at (ms) and member
for i = 3, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'GT', ARGV[i], ARGV[i + 1])
end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[2]) - 1)
-- As in status-deliveries.lua: the TTL set again once it is below the retention, a hundredth
-- of it longer.
local retention = tonumber(ARGV[1])
if redis.call('TTL', KEYS[1]) < retention then
  redis.call('EXPIRE', KEYS[1], retention + math.floor(retention / 100))
end
return 0
