-- Records a send's final outcome; later claims answer "done" with it.
-- KEYS[1] the send's ledger key; ARGV[1] the outcome (JSON), ARGV[2] time to live in ms
redis.call('HSET', KEYS[1], 'state', 'done', 'outcome', ARGV[1])
redis.call('HDEL', KEYS[1], 'owner', 'until')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
