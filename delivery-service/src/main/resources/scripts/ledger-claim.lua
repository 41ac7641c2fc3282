-- Claims a send before its provider is called and, only when the claim is granted ("claimed",
-- or "ambiguous": taken over after a lease ran out), lists the send in a set of its user's: a
-- send another worker holds, or one made before, lists nothing.
-- KEYS[1] the send's ledger key; KEYS[2], optional, the set (under the same hash tag as KEYS[1])
-- ARGV[1] the claiming worker, ARGV[2] lease in ms, ARGV[3] time to live of the record in ms;
-- with KEYS[2]: ARGV[4] the member to add, ARGV[5] the set's time to live in ms
-- Returns {"claimed"}, {"done", outcome}, {"busy", leaseUntilMs} or {"ambiguous", previousOwner}.
local function list()
  if KEYS[2] then
    redis.call('SADD', KEYS[2], ARGV[4])
    redis.call('PEXPIRE', KEYS[2], ARGV[5])
  end
end
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'owner', ARGV[1], 'until', nowMs + tonumber(ARGV[2]))
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  list()
  return {'claimed'}
end
if state == 'done' then
  return {'done', redis.call('HGET', KEYS[1], 'outcome')}
end
local leaseUntil = tonumber(redis.call('HGET', KEYS[1], 'until'))
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner ~= ARGV[1] and leaseUntil > nowMs then
  return {'busy', tostring(leaseUntil)}
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'until', nowMs + tonumber(ARGV[2]))
list()
return {'ambiguous', owner}
