package io.herald.ingestion.status;

import io.herald.events.JsonCodec;
import io.herald.events.StatusReported;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import io.herald.support.redis.LuaScripts;
import io.herald.support.redis.ScriptPipeline;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
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

	/** The most updates sent as one pipeline. */
	static final int MAX_PIPELINE = 10_000;

	/** The most deliveries one script call records: a call holds Redis for its whole length. */
	static final int MAX_DELIVERIES_PER_CALL = 200;

	private static final RedisScript<Long> DELIVERIES = LuaScripts.load("status-deliveries.lua", Long.class);

	private final StringRedisTemplate redis;

	private final StatusProperties properties;

	private final ScriptPipeline pipeline;

	StatusStore(StringRedisTemplate redis, StatusProperties properties) {
		this.redis = redis;
		this.properties = properties;
		this.pipeline = new ScriptPipeline(redis, DELIVERIES);
	}

	/**
	 * Applies a batch of updates in pipelines of at most {@value #MAX_PIPELINE} updates, whose
	 * replies are awaited within the Redis command timeout (a pipeline runs twice if Redis lacked
	 * the script: every update is idempotent). The statuses of one event are recorded by one script call, up to
	 * {@value #MAX_DELIVERIES_PER_CALL} at a time, in the order given: a fan-out's thousands of
	 * deliveries cost tens of calls, not thousands.
	 * @throws DataAccessException when Redis cannot be reached; nothing is lost by retrying
	 */
	void apply(List<Object> updates) {
		for (int from = 0; from < updates.size(); from += MAX_PIPELINE) {
			applyPipelined(updates.subList(from, Math.min(updates.size(), from + MAX_PIPELINE)));
		}
	}

	private void applyPipelined(List<Object> updates) {
		long retention = this.properties.retention().toSeconds();
		String retentionText = Long.toString(retention);
		this.pipeline.run((ops) -> {
			Map<List<String>, List<StatusReported>> byEvent = new LinkedHashMap<>();
			for (Object update : updates) {
				switch (update) {
					// Two plain commands: acceptance is the hot path (every event) and needs no script.
					case AcceptedEvent event -> {
						String meta = keys(event.tenant(), event.eventId()).get(0);
						ops.opsForHash()
							.putAll(meta, Map.of("acceptedAt", event.acceptedAt().toString(), "type", event.type()));
						ops.expire(meta, Duration.ofSeconds(retention));
					}
					case StatusReported status -> byEvent
						.computeIfAbsent(keys(status.tenant(), status.eventId()), (keys) -> new ArrayList<>())
						.add(status);
					default -> throw new IllegalArgumentException("not a status update: " + update);
				}
			}
			byEvent.forEach((keys, statuses) -> {
				for (int from = 0; from < statuses.size(); from += MAX_DELIVERIES_PER_CALL) {
					record(ops, keys, statuses.subList(from, Math.min(statuses.size(), from + MAX_DELIVERIES_PER_CALL)),
							retentionText);
				}
			});
		});
	}

	private static void record(RedisOperations<String, String> ops, List<String> keys, List<StatusReported> statuses,
			String retention) {
		String[] args = new String[1 + 7 * statuses.size()];
		args[0] = retention;
		int i = 1;
		for (StatusReported status : statuses) {
			args[i++] = status.deliveryKey();
			args[i++] = Integer.toString(status.state().stage());
			args[i++] = Long.toString(status.at().toEpochMilli());
			args[i++] = status.channel().wireName();
			args[i++] = status.state().wireName();
			args[i++] = JsonCodec.MAPPER.writeValueAsString(Delivery.of(status));
			args[i++] = (status.device() != null) ? status.channelKey() : "";
		}
		ScriptPipeline.call(ops, DELIVERIES, keys, args);
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
