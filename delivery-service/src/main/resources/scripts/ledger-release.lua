-- Gives a claimed send back after a temporary failure, so that a retry may send it.
-- KEYS[1] the send's ledger key; ARGV[1] the worker that claimed it
if redis.call('HGET', KEYS[1], 'state') == 'pending' and redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
