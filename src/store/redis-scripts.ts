/**
 * Lua scripts of the Redis store. Each runs atomically on the server, which is what makes
 * seq assignment gap-free, appends idempotent and ownership changes compare-and-set
 * across any number of server instances. Keys are passed in KEYS where the caller can
 * name them; the delete script derives per-conversation keys from the prefix (single
 * Redis, not Cluster).
 */

/** KEYS: conv, owner:bot, customer:{c}, updated. ARGV: id, channel, customerId, now, attributesJson. */
export const ENSURE_CONVERSATION = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'channel', ARGV[2], 'customerId', ARGV[3], 'owner', 'bot',
    'priority', '0', 'createdAt', ARGV[4], 'updatedAt', ARGV[4], 'attributes', ARGV[5], 'state', '{}')
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[1])
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
end
return redis.call('HGETALL', KEYS[1])
`;

/** KEYS: conv, updated. ARGV: id, stateJson, now, priority or '', attributesJson or ''. */
export const SAVE_STATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updatedAt', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'priority', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'attributes', ARGV[5]) end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
`;

/**
 * KEYS: conv, msgs, order, und, updated. ARGV: messageId, bodyJson, now, conversationId, understandingJson or ''.
 * ARGV[6]: the owner the conversation must have, or '' for any.
 * Returns {1, stored} when appended, {0, stored} for a duplicate, {-1} when the conversation is missing,
 * {2} when it has another owner.
 * A stored message is "<seq>|<json>"; seq is the length of the order list after RPUSH.
 */
export const APPEND_MESSAGE = `
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then return {0, existing} end
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
if ARGV[6] ~= '' and redis.call('HGET', KEYS[1], 'owner') ~= ARGV[6] then return {2} end
local seq = redis.call('RPUSH', KEYS[3], ARGV[1])
local stored = tostring(seq) .. '|' .. ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], stored)
if ARGV[5] ~= '' then redis.call('HSET', KEYS[4], ARGV[1], ARGV[5]) end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
return {1, stored}
`;

/** KEYS: msgs, und. ARGV: messageId, understandingJson. */
export const SET_UNDERSTANDING = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

/**
 * KEYS: conv, owner:{from}, owner:{to}, transitions, updated.
 * ARGV: id, from, to, checkAgent ('1'|'0'), expectAgent, newAgent, priority or '', reason, ts, now, transitionJson.
 */
export const TRANSITION = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[2] then return 0 end
if ARGV[4] == '1' and redis.call('HGET', KEYS[1], 'agent') ~= ARGV[5] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[3], 'updatedAt', ARGV[10])
if ARGV[3] == 'agent' then redis.call('HSET', KEYS[1], 'agent', ARGV[6]) else redis.call('HDEL', KEYS[1], 'agent') end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'priority', ARGV[7]) end
if ARGV[3] == 'queued' then
  redis.call('HSET', KEYS[1], 'escalationReason', ARGV[8], 'queuedAt', ARGV[9])
elseif ARGV[3] == 'bot' then
  redis.call('HDEL', KEYS[1], 'escalationReason', 'queuedAt')
end
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[11])
redis.call('ZADD', KEYS[5], ARGV[10], ARGV[1])
return 1
`;

/**
 * KEYS: conv. ARGV: prefix, id, updatedBefore or '' (unconditional), dropFeedback ('1'|'0').
 * Checks the age inside the script so a conversation touched after the caller listed it survives.
 */
export const DELETE_CONVERSATION = `
local conv = KEYS[1]
if redis.call('EXISTS', conv) == 0 then return 0 end
if ARGV[3] ~= '' and tonumber(redis.call('HGET', conv, 'updatedAt')) >= tonumber(ARGV[3]) then return 0 end
local p, id = ARGV[1], ARGV[2]
local owner = redis.call('HGET', conv, 'owner')
local customer = redis.call('HGET', conv, 'customerId')
redis.call('DEL', conv, p .. 'msgs:' .. id, p .. 'order:' .. id, p .. 'und:' .. id, p .. 'tr:' .. id)
redis.call('SREM', p .. 'owner:' .. owner, id)
redis.call('SREM', p .. 'customer:' .. customer, id)
redis.call('ZREM', p .. 'updated', id)
if ARGV[4] == '1' then
  for _, f in ipairs(redis.call('SMEMBERS', p .. 'fbconv:' .. id)) do
    redis.call('HDEL', p .. 'fb', f)
    redis.call('HDEL', p .. 'fbreview', f)
    redis.call('ZREM', p .. 'fbts', f)
  end
end
redis.call('DEL', p .. 'fbconv:' .. id)
return 1
`;

/** KEYS: fb, fbreview, fbts, fbconv:{c}. ARGV: id, bodyJson, reviewJson, ts. First copy of an id wins. */
export const ADD_FEEDBACK = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return 1
`;

/** KEYS: fb, fbreview. ARGV: id, reviewJson. */
export const REVIEW_FEEDBACK = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`;

/** KEYS: audit counter, audit stream. ARGV: eventJson. Numeric ids follow stream order. */
export const ADD_AUDIT = `
local id = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], '*', 'id', id, 'event', ARGV[1])
return id
`;

/** KEYS: lock. ARGV: token. Deletes only the holder's own lease. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
