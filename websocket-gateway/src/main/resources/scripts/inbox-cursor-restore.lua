-- Puts a cursor back where it was, unless it moved on meanwhile (a claim whose work failed).
-- KEYS[1] the cursors hash; ARGV[1] the cursor ('read' or 'ack'), ARGV[2] the value claimed,
-- ARGV[3] the value before the claim
-- Returns 1 when restored.
if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') == tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
