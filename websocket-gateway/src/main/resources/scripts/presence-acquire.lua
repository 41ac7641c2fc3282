-- Admits a connection of a user if the user holds fewer than the limit.
-- KEYS[1] the user's presence set (session id -> lapses at, ms)
-- ARGV[1] session id, ARGV[2] now (ms), ARGV[3] lapses at (ms), ARGV[4] the limit, ARGV[5] lease (ms)
-- Returns 1 when admitted, 0 when the user is at the limit.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
