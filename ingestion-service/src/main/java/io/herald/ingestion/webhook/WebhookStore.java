package io.herald.ingestion.webhook;

import io.herald.events.JsonCodec;
import io.herald.support.redis.LuaScripts;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The tenants' webhook endpoints in Redis: one hash per tenant,
 * {@code herald:webhooks:{tenant}}, endpoint id to endpoint JSON, so that every endpoint
 * of a tenant is under one hash tag and the dispatcher reads them in one command.
 * Creation checks the tenant's limit and writes in one script; an update never brings
 * back a deleted endpoint.
 *
 * <p>
 * {@link #recent} serves the dispatcher from an {@link EndpointCache}: a tenant's
 * endpoints as read at most a second ago. Every change made here (create, rotate,
 * disable, delete) drops the tenant from it, so this instance sees its own changes at
 * once and other instances within a second.
 */
@Component
class WebhookStore {

	private static final RedisScript<Long> PUT = LuaScripts.load("webhook-put.lua", Long.class);

	private final StringRedisTemplate redis;

	private final EndpointCache recent;

	WebhookStore(StringRedisTemplate redis, Clock clock) {
		this.redis = redis;
		this.recent = new EndpointCache(this::list, clock);
	}

	/**
	 * Registers an endpoint.
	 * @return whether it was stored: {@code false} when the tenant has
	 * {@code maxEndpoints} already
	 */
	boolean create(String tenant, WebhookEndpoint endpoint, int maxEndpoints) {
		return put(tenant, endpoint, "create", maxEndpoints);
	}

	/**
	 * Replaces an endpoint that exists.
	 * @return whether it was stored: {@code false} when it was deleted meanwhile
	 */
	boolean update(String tenant, WebhookEndpoint endpoint) {
		return put(tenant, endpoint, "update", 0);
	}

	@Nullable WebhookEndpoint find(String tenant, String id) {
		Object json = this.redis.opsForHash().get(key(tenant), id);
		return (json != null) ? decode(json) : null;
	}

	/** The tenant's endpoints, oldest first. */
	List<WebhookEndpoint> list(String tenant) {
		Map<Object, Object> entries = this.redis.opsForHash().entries(key(tenant));
		List<WebhookEndpoint> endpoints = new ArrayList<>(entries.size());
		entries.values().forEach((json) -> endpoints.add(decode(json)));
		endpoints.sort(Comparator.comparing(WebhookEndpoint::createdAt).thenComparing(WebhookEndpoint::id));
		return endpoints;
	}

	/**
	 * The tenant's endpoints as read at most {@link EndpointCache#TTL} ago, oldest first.
	 */
	List<WebhookEndpoint> recent(String tenant) {
		return this.recent.endpoints(tenant);
	}

	/**
	 * @return whether there was such an endpoint
	 */
	boolean delete(String tenant, String id) {
		try {
			return this.redis.opsForHash().delete(key(tenant), id) > 0;
		}
		finally {
			// Also when the command failed: it may have been carried out all the same.
			this.recent.invalidate(tenant);
		}
	}

	private boolean put(String tenant, WebhookEndpoint endpoint, String mode, int maxEndpoints) {
		try {
			Long written = this.redis.execute(PUT, List.of(key(tenant)), endpoint.id(),
					JsonCodec.MAPPER.writeValueAsString(endpoint), mode, Integer.toString(maxEndpoints));
			return written != null && written == 1;
		}
		finally {
			this.recent.invalidate(tenant);
		}
	}

	private static WebhookEndpoint decode(Object json) {
		return JsonCodec.MAPPER.readValue((String) json, WebhookEndpoint.class);
	}

	static String key(String tenant) {
		return "herald:webhooks:{" + tenant + "}";
	}

}
