-- Records that an event was accepted.
-- KEYS[1]: meta hash; KEYS[2]: deliveries hash; KEYS[3]: summary hash
-- ARGV[1]: acceptedAt (RFC 3339); ARGV[2]: event type; ARGV[3]: retention in seconds
redis.call('HSETNX', KEYS[1], 'acceptedAt', ARGV[1])
redis.call('HSETNX', KEYS[1], 'type', ARGV[2])
for i = 1, 3 do
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 1
