-- Writes one webhook endpoint of a tenant.
-- KEYS[1]: the tenant's endpoints (a hash: endpoint id -> endpoint JSON)
-- ARGV[1]: the endpoint id; ARGV[2]: its JSON; ARGV[3]: 'create' or 'update';
-- ARGV[4]: for 'create', the most endpoints the tenant may have
-- Returns 1 when written, 0 when the tenant has as many endpoints as it may ('create') or the
-- endpoint is gone ('update': a deleted endpoint is never written back).
if ARGV[3] == 'create' then
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
    return 0
  end
elseif redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
