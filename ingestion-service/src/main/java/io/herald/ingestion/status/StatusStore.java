package io.herald.ingestion.status;

import io.herald.events.JsonCodec;
import io.herald.events.StatusReported;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import io.herald.support.redis.LuaScripts;
import io.herald.support.redis.ScriptPipeline;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status of every event, in Redis: three hashes per event under one hash tag
 * ({@code herald:status:{tenant:eventId}:meta|deliveries|summary}), written by Lua scripts so that
 * each update is atomic, idempotent (a record applied twice changes nothing) and monotonic (a
 * late record of an earlier stage never overwrites a later state). The summary keeps counts per
 * channel and state, so a fan-out to 100,000 users is summarised without reading 100,000 fields.
 */
@Component
class StatusStore {

	private static final RedisScript<Long> DELIVERY = LuaScripts.load("status-delivery.lua", Long.class);

	private final StringRedisTemplate redis;

	private final StatusProperties properties;

	private final ScriptPipeline pipeline;

	StatusStore(StringRedisTemplate redis, StatusProperties properties) {
		this.redis = redis;
		this.properties = properties;
		this.pipeline = new ScriptPipeline(redis, DELIVERY);
	}

	/**
	 * Applies a batch of updates in one pipeline (applied twice if Redis lacked the script: every
	 * update is idempotent).
	 * @throws DataAccessException when Redis cannot be reached; nothing is lost by retrying
	 */
	void apply(List<Object> updates) {
		if (updates.isEmpty()) {
			return;
		}
		long retention = this.properties.retention().toSeconds();
		String retentionText = Long.toString(retention);
		this.pipeline.run((ops) -> {
			for (Object update : updates) {
				switch (update) {
					// Two plain commands: acceptance is the hot path (every event) and needs no script.
					case AcceptedEvent event -> {
						String meta = keys(event.tenant(), event.eventId()).get(0);
						ops.opsForHash()
							.putAll(meta, Map.of("acceptedAt", event.acceptedAt().toString(), "type", event.type()));
						ops.expire(meta, Duration.ofSeconds(retention));
					}
					case StatusReported status -> ScriptPipeline.call(ops, DELIVERY, keys(status.tenant(), status.eventId()),
							status.deliveryKey(), Integer.toString(status.state().stage()),
							Long.toString(status.at().toEpochMilli()), status.channel().wireName(),
							status.state().wireName(), JsonCodec.MAPPER.writeValueAsString(Delivery.of(status)),
							retentionText, (status.device() != null) ? status.channelKey() : "");
					default -> throw new IllegalArgumentException("not a status update: " + update);
				}
			}
		});
	}

	/** The status of an event, or {@code null} when the tenant has no such event (or it expired). */
	@Nullable EventStatus find(String tenant, String eventId) {
		List<String> keys = keys(tenant, eventId);
		Map<Object, Object> meta = this.redis.opsForHash().entries(keys.get(0));
		if (meta.isEmpty()) {
			return null;
		}
		long deliveries = Long.parseLong((String) meta.getOrDefault("deliveries", "0"));
		String acceptedAt = (String) meta.get("acceptedAt");
		if (deliveries > this.properties.listThreshold()) {
			return new EventStatus(eventId, "accepted", acceptedAt, null, summary(keys.get(2)));
		}
		List<Delivery> list = this.redis.opsForHash()
			.values(keys.get(1))
			.stream()
			.map((value) -> delivery((String) value))
			.sorted(Delivery.ORDER)
			.toList();
		return new EventStatus(eventId, "accepted", acceptedAt, list, null);
	}

	private Map<String, Map<String, Long>> summary(String key) {
		Map<String, Map<String, Long>> summary = new TreeMap<>();
		this.redis.opsForHash().entries(key).forEach((field, count) -> {
			long value = Long.parseLong((String) count);
			if (value > 0) {
				String[] channelAndState = ((String) field).split(":", 2);
				summary.computeIfAbsent(channelAndState[0], (channel) -> new LinkedHashMap<>())
					.put(channelAndState[1], value);
			}
		});
		return summary;
	}

	private static Delivery delivery(String stored) {
		// '<stage>|<atMs>|<state>|<json>': the JSON starts after the third separator.
		int separator = -1;
		for (int i = 0; i < 3; i++) {
			separator = stored.indexOf('|', separator + 1);
		}
		return JsonCodec.MAPPER.readValue(stored.substring(separator + 1), Delivery.class);
	}

	private static List<String> keys(String tenant, String eventId) {
		String prefix = "herald:status:{" + tenant + ":" + eventId + "}:";
		return List.of(prefix + "meta", prefix + "deliveries", prefix + "summary");
	}

}
