package io.herald.ingestion.status;

import io.herald.events.Channel;
import io.herald.events.DeliveryState;
import io.herald.events.EventCancelled;
import io.herald.events.JsonCodec;
import io.herald.events.PartitionKeys;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import io.herald.support.redis.LuaScripts;
import io.herald.support.redis.NativeRedis;
import io.herald.support.redis.ScriptPipeline;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The status of every event, in Redis: three hashes per event under one hash tag
 * ({@code herald:status:{tenant:eventId}:meta|deliveries|summary}), written by Lua
 * scripts so that each update is atomic, idempotent (a record applied twice changes
 * nothing) and monotonic (a late record of an earlier stage never overwrites a later
 * state). The summary keeps counts per channel and state, so a fan-out to 100,000 users
 * is summarised without reading 100,000 fields.
 *
 * <p>
 * Two indexes feed the lists ({@link StatusLists}), each written with the updates it
 * indexes: the events a tenant accepted on a day
 * ({@code herald:status:{tenant:yyyy-mm-dd}:accepted}, a sorted set by acceptance time,
 * one {@code ZADD} per day and batch, gone {@code retention} after the day ends), and a
 * user's recent deliveries ({@code herald:status:{tenant:userId}:recent}, a sorted set by
 * the time of the delivery's state, the newest
 * {@link StatusProperties#recentDeliveriesPerUser()} kept, gone {@code retention} to a
 * hundredth more after its last change: its TTL is set again only once it has fallen
 * below the retention). On a standalone Redis the status script writes the latter in the
 * call that records the deliveries; on a Redis Cluster, where the user's key is in
 * another slot, a second script does, one call per user and batch in the same pipeline.
 *
 * <p>
 * A fan-out batch's in-app {@code queued} is one count (docs/adr/037): kept once by its
 * id in {@code herald:status:{tenant:eventId}:counts} with its users, it adds to the
 * summary's {@code queued} and the event's deliveries, and the first later status of each
 * of its deliveries takes that delivery out of it again.
 */
@Component
class StatusStore {

	/** The most updates sent as one pipeline. */
	static final int MAX_PIPELINE = 10_000;

	/**
	 * The most deliveries one script call records: a call holds Redis for its whole
	 * length.
	 */
	static final int MAX_DELIVERIES_PER_CALL = 200;

	private static final RedisScript<Long> DELIVERIES = LuaScripts.load("status-deliveries.lua", Long.class);

	private static final RedisScript<Long> USER_DELIVERIES = LuaScripts.load("status-user-deliveries.lua", Long.class);

	private static final RedisScript<Long> COUNTS = LuaScripts.load("status-counts.lua", Long.class);

	private static final RedisScript<List> CANCEL_CLAIM = LuaScripts.load("cancel-claim.lua", List.class);

	private static final RedisScript<String> CANCEL_SETTLE = LuaScripts.load("cancel-settle.lua", String.class);

	private final StringRedisTemplate redis;

	private final StatusProperties properties;

	private final ScriptPipeline pipeline;

	/**
	 * Whether Redis is a cluster: a script then cannot write a user's key beside an
	 * event's.
	 */
	private final boolean cluster;

	StatusStore(StringRedisTemplate redis, StatusProperties properties) {
		this.redis = redis;
		this.properties = properties;
		this.pipeline = new ScriptPipeline(redis, DELIVERIES, USER_DELIVERIES, COUNTS);
		this.cluster = NativeRedis.isCluster(redis);
	}

	/**
	 * Applies a batch of updates in pipelines of at most {@value #MAX_PIPELINE} updates,
	 * whose replies are awaited within the Redis command timeout (a pipeline runs twice
	 * if Redis lacked the script: every update is idempotent). The statuses of one event
	 * are recorded by one script call, up to {@value #MAX_DELIVERIES_PER_CALL} at a time,
	 * in the order given: a fan-out's thousands of deliveries cost tens of calls, not
	 * thousands.
	 * @throws DataAccessException when Redis cannot be reached; nothing is lost by
	 * retrying
	 */
	void apply(List<Object> updates) {
		for (int from = 0; from < updates.size(); from += MAX_PIPELINE) {
			applyPipelined(updates.subList(from, Math.min(updates.size(), from + MAX_PIPELINE)));
		}
	}

	private void applyPipelined(List<Object> updates) {
		long retention = this.properties.retention().toSeconds();
		String retentionText = Long.toString(retention);
		int keep = this.properties.recentDeliveriesPerUser();
		this.pipeline.run((ops) -> {
			Map<List<String>, List<StatusReported>> byEvent = new LinkedHashMap<>();
			Map<List<String>, List<StatusReported>> countsByEvent = new LinkedHashMap<>();
			Map<AcceptedDay, Set<TypedTuple<String>>> acceptedByDay = new LinkedHashMap<>();
			// On a cluster, the recent deliveries of each user of the batch: pairs of at
			// (ms) and member.
			Map<String, List<String>> recentByUser = new LinkedHashMap<>();
			for (Object update : updates) {
				switch (update) {
					// Plain commands: acceptance is the hot path (every event) and needs
					// no script.
					case AcceptedEvent event -> {
						String meta = keys(event.tenant(), event.eventId()).get(0);
						ops.opsForHash().putAll(meta, meta(event));
						ops.expire(meta, Duration.ofSeconds(retention));
						acceptedByDay
							.computeIfAbsent(new AcceptedDay(event.tenant(), day(event.acceptedAt())),
									(day) -> new HashSet<>())
							.add(TypedTuple.of(event.eventId(), (double) event.acceptedAt().toEpochMilli()));
					}
					case StatusReported status when status.isCount() -> countsByEvent
						.computeIfAbsent(keys(status.tenant(), status.eventId()), (keys) -> new ArrayList<>())
						.add(status);
					case StatusReported status ->
						byEvent.computeIfAbsent(keys(status.tenant(), status.eventId()), (keys) -> new ArrayList<>())
							.add(status);
					default -> throw new IllegalArgumentException("not a status update: " + update);
				}
			}
			// One ZADD per tenant and day of the batch, not one per event.
			acceptedByDay.forEach((day, events) -> {
				String key = acceptedKey(day.tenant(), day.day());
				ops.opsForZSet().add(key, events);
				ops.expireAt(key,
						day.day()
							.plusDays(1)
							.atStartOfDay(ZoneOffset.UTC)
							.toInstant()
							.plus(this.properties.retention()));
			});
			countsByEvent.forEach((keys, counts) -> recordCounts(ops, keys, counts, retentionText));
			byEvent.forEach((keys, statuses) -> {
				for (int from = 0; from < statuses.size(); from += MAX_DELIVERIES_PER_CALL) {
					List<StatusReported> call = statuses.subList(from,
							Math.min(statuses.size(), from + MAX_DELIVERIES_PER_CALL));
					record(ops, keys, call, retentionText, keep, this.cluster ? recentByUser : null);
				}
			});
			String keepText = Integer.toString(keep);
			recentByUser.forEach((key, members) -> {
				List<String> args = new ArrayList<>(2 + members.size());
				args.add(retentionText);
				args.add(keepText);
				args.addAll(members);
				ScriptPipeline.call(ops, USER_DELIVERIES, List.of(key), args.toArray(String[]::new));
			});
		});
	}

	/**
	 * One call of the status script. On a standalone Redis the call also records the
	 * deliveries among their users' recent ones; on a cluster ({@code recentByUser} not
	 * {@code null}) they are collected there for calls of their own.
	 */
	private static void record(RedisOperations<String, String> ops, List<String> eventKeys,
			List<StatusReported> statuses, String retention, int keep,
			@Nullable Map<String, List<String>> recentByUser) {
		List<String> keys = new ArrayList<>(eventKeys);
		Map<String, Integer> userKeys = new HashMap<>();
		String[] args = new String[3 + 9 * statuses.size()];
		args[0] = retention;
		args[1] = Integer.toString(keep);
		args[2] = statuses.get(0).eventId();
		int i = 3;
		for (StatusReported status : statuses) {
			String at = Long.toString(status.at().toEpochMilli());
			args[i++] = status.deliveryKey();
			args[i++] = Integer.toString(status.state().stage());
			args[i++] = at;
			args[i++] = status.channel().wireName();
			args[i++] = status.state().wireName();
			args[i++] = detail(status);
			args[i++] = (status.device() != null) ? status.channelKey() : "";
			int userKey = 0;
			if (keep > 0) {
				String key = recentKey(status.tenant(), status.userId());
				if (recentByUser != null) {
					List<String> recent = recentByUser.computeIfAbsent(key, (k) -> new ArrayList<>());
					recent.add(at);
					recent.add(recentMember(status));
				}
				else {
					userKey = userKeys.computeIfAbsent(key, (k) -> {
						keys.add(k);
						return keys.size();
					});
				}
			}
			args[i++] = Integer.toString(userKey);
			args[i++] = (status.countedAs() != null) ? status.countedAs() : "";
		}
		ScriptPipeline.call(ops, DELIVERIES, keys, args);
	}

	/**
	 * One call of the counts script for an event's counts (docs/adr/037): each is kept
	 * with its time and users, for the event's list.
	 */
	private static void recordCounts(RedisOperations<String, String> ops, List<String> eventKeys,
			List<StatusReported> counts, String retention) {
		String[] args = new String[1 + 4 * counts.size()];
		args[0] = retention;
		int i = 1;
		for (StatusReported count : counts) {
			List<String> users = new ArrayList<>(count.batch().size() + 1);
			users.add(count.userId());
			count.batch().forEach((recipient) -> users.add(recipient.userId()));
			args[i++] = count.countedAs();
			args[i++] = count.channel().wireName();
			args[i++] = Integer.toString(users.size());
			args[i++] = count.at().toEpochMilli() + "|" + JsonCodec.MAPPER.writeValueAsString(users);
		}
		StatusReported first = counts.get(0);
		ScriptPipeline.call(ops, COUNTS,
				List.of(eventKeys.get(0), eventKeys.get(2), countsKey(first.tenant(), first.eventId())), args);
	}

	/**
	 * The fields of an event's meta hash: the position of its record, and its log and key
	 * only where they are not the default ones.
	 */
	private static Map<String, String> meta(AcceptedEvent event) {
		Map<String, String> fields = new HashMap<>(8);
		fields.put("acceptedAt", event.acceptedAt().toString());
		fields.put("type", event.type());
		if (event.position() != null) {
			fields.put("position", event.position());
		}
		if (event.log() != null) {
			fields.put("log", event.log());
		}
		if (event.key() != null) {
			fields.put("key", event.key());
		}
		return fields;
	}

	/**
	 * Where an event of the tenant is and whether it was cancelled, or {@code null} when
	 * the tenant has no such event (or it expired).
	 */
	@Nullable StoredEvent locate(String tenant, String eventId) {
		List<Object> fields = this.redis.opsForHash()
			.multiGet(keys(tenant, eventId).get(0), List.of("acceptedAt", "log", "key", "cancelledAt", "position"));
		if (fields.get(0) == null) {
			return null;
		}
		return new StoredEvent((fields.get(1) != null) ? (String) fields.get(1) : Topics.EVENTS.name(),
				(fields.get(2) != null) ? (String) fields.get(2) : PartitionKeys.event(tenant, eventId),
				(String) fields.get(3), (String) fields.get(4));
	}

	/**
	 * Asks to cancel an event: one request at a time appends its cancellation, and every
	 * request uses the time of the first, so concurrent {@code DELETE}s append one
	 * cancellation and answer one {@code cancelledAt}. A claim holds for {@code lease}; a
	 * request that finds another's claim in flight asks again until it is settled or its
	 * lease ran out (its owner vanished).
	 * @param now the cancellation's time, unless a request claimed it before
	 * @throws DataAccessException when Redis cannot be reached
	 */
	CancelClaim claimCancellation(String tenant, String eventId, Instant now, Duration lease) {
		long nowMs = now.toEpochMilli();
		List<?> answer = this.redis.execute(CANCEL_CLAIM, List.of(keys(tenant, eventId).get(0)), now.toString(),
				Long.toString(nowMs), Long.toString(nowMs + lease.toMillis()));
		String kind = String.valueOf(answer.get(0));
		return switch (kind) {
			case "gone" -> new CancelClaim.Gone();
			case "done" -> new CancelClaim.Done(String.valueOf(answer.get(1)));
			case "pending" -> new CancelClaim.Pending(String.valueOf(answer.get(1)));
			case "claimed" -> new CancelClaim.Claimed(Instant.parse(String.valueOf(answer.get(1))));
			default -> throw new IllegalStateException("unexpected cancellation claim answer " + answer);
		};
	}

	/**
	 * Records that a claimed cancellation is durably on the event log: the event's
	 * {@code cancelledAt}, and its mark for delivery ({@link EventCancelled#redisKey})
	 * for {@code markFor}.
	 * @return the event's {@code cancelledAt}
	 * @throws DataAccessException when Redis cannot be reached
	 */
	String cancelled(EventCancelled cancellation, Duration markFor) {
		return this.redis.execute(CANCEL_SETTLE, cancellationKeys(cancellation.tenant(), cancellation.eventId()),
				"done", cancellation.cancelledAt().toString(), cancellation.reason(),
				Long.toString(markFor.toMillis()));
	}

	/**
	 * Gives a claimed cancellation back after it could not be appended: a retry may claim
	 * it.
	 */
	void cancellationFailed(String tenant, String eventId) {
		this.redis.execute(CANCEL_SETTLE, cancellationKeys(tenant, eventId), "failed", "", "", "0");
	}

	private static List<String> cancellationKeys(String tenant, String eventId) {
		return List.of(keys(tenant, eventId).get(0), EventCancelled.redisKey(tenant, eventId));
	}

	/** What asking to cancel an event found. */
	sealed interface CancelClaim {

		/** The event is not there (any more). */
		record Gone() implements CancelClaim {
		}

		/** The event was cancelled at {@code cancelledAt}. */
		record Done(String cancelledAt) implements CancelClaim {
		}

		/**
		 * Another request is appending the event's cancellation, of {@code cancelledAt}.
		 */
		record Pending(String cancelledAt) implements CancelClaim {
		}

		/**
		 * The caller appends the cancellation, of {@code cancelledAt}, then settles the
		 * claim.
		 */
		record Claimed(Instant cancelledAt) implements CancelClaim {
		}

	}

	/**
	 * Where an event is, as its status records it.
	 *
	 * @param log the event log it is on
	 * @param key its key there
	 * @param cancelledAt when it was cancelled, or {@code null}
	 * @param position {@code <partition>:<offset>} of its record on the log, or
	 * {@code null} for an event recorded before positions were
	 */
	record StoredEvent(String log, String key, @Nullable String cancelledAt, @Nullable String position) {
	}

	/**
	 * The status of an event, or {@code null} when the tenant has no such event (or it
	 * expired).
	 */
	@Nullable EventStatus find(String tenant, String eventId) {
		List<String> keys = keys(tenant, eventId);
		Map<Object, Object> meta = this.redis.opsForHash().entries(keys.get(0));
		if (meta.isEmpty()) {
			return null;
		}
		long deliveries = Long.parseLong((String) meta.getOrDefault("deliveries", "0"));
		String acceptedAt = (String) meta.get("acceptedAt");
		String cancelledAt = (String) meta.get("cancelledAt");
		if (deliveries > this.properties.listThreshold()) {
			return new EventStatus(eventId, "accepted", acceptedAt, cancelledAt, null,
					summary(this.redis.opsForHash().entries(keys.get(2))));
		}
		// One round trip: the deliveries' fields and the counts not yet delivered.
		List<Object> replies = this.redis.executePipelined(new SessionCallback<@Nullable Object>() {
			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public @Nullable Object execute(RedisOperations operations) {
				operations.opsForHash().entries(keys.get(1));
				operations.opsForHash().values(countsKey(tenant, eventId));
				return null;
			}
		});
		@SuppressWarnings("unchecked")
		Map<Object, Object> fields = (Map<Object, Object>) replies.get(0);
		@SuppressWarnings("unchecked")
		List<Object> counts = (List<Object>) replies.get(1);
		List<Delivery> list = new ArrayList<>(fields.size());
		fields.forEach((field, value) -> list.add(delivery((String) field, (String) value)));
		list.addAll(counted(counts, fields.keySet()));
		list.sort(Delivery.ORDER);
		return new EventStatus(eventId, "accepted", acceptedAt, cancelledAt, list, null);
	}

	/**
	 * The deliveries that counts hold as {@code queued}: each user of a count whose
	 * delivery has no field of its own yet (docs/adr/037).
	 * @param counts the values of an event's counts hash
	 * @param fields the fields of its deliveries hash
	 */
	static List<Delivery> counted(List<Object> counts, Set<Object> fields) {
		List<Delivery> deliveries = new ArrayList<>();
		Set<String> listed = new HashSet<>();
		for (Object value : counts) {
			String stored = (String) value;
			int separator = stored.indexOf('|');
			Instant at = Instant.ofEpochMilli(Long.parseLong(stored.substring(0, separator)));
			String[] users = JsonCodec.MAPPER.readValue(stored.substring(separator + 1), String[].class);
			for (String user : users) {
				String field = user + "|" + Channel.INAPP.wireName();
				if (!fields.contains(field) && listed.add(field)) {
					deliveries.add(new Delivery(user, Channel.INAPP.wireName(), null, DeliveryState.QUEUED.wireName(),
							null, null, null, null, at.toString()));
				}
			}
		}
		return deliveries;
	}

	/**
	 * Counts per channel and state, from a summary hash's entries; counts of 0 left out.
	 */
	static Map<String, Map<String, Long>> summary(Map<Object, Object> entries) {
		Map<String, Map<String, Long>> summary = new TreeMap<>();
		entries.forEach((field, count) -> {
			long value = Long.parseLong((String) count);
			if (value > 0) {
				String[] channelAndState = ((String) field).split(":", 2);
				summary.computeIfAbsent(channelAndState[0], (channel) -> new LinkedHashMap<>())
					.put(channelAndState[1], value);
			}
		});
		return summary;
	}

	/**
	 * What a delivery's stored value holds after its stage, time and state: the delivery
	 * as JSON where it has a reason, an until or a provider's id; otherwise its seq, or
	 * nothing, since its field and the value's time and state say the rest. Most
	 * deliveries (every fan-out recipient's in-app {@code delivered}) are stored in the
	 * short form, which is most of what a fan-out's status writes to Redis's file.
	 */
	static String detail(StatusReported status) {
		if (status.reason() != null || status.until() != null || status.providerId() != null) {
			return JsonCodec.MAPPER.writeValueAsString(Delivery.of(status));
		}
		return (status.seq() != null) ? status.seq().toString() : "";
	}

	/**
	 * A delivery as stored in an event's deliveries hash.
	 * @param field its field there, {@code <userId>|<channel>[|<device>]}
	 * @param stored its value, {@code <stage>[,<count>...]|<atMs>|<state>|<detail>} (see
	 * {@link #detail(StatusReported)})
	 */
	static Delivery delivery(String field, String stored) {
		int atStart = stored.indexOf('|') + 1;
		int stateStart = stored.indexOf('|', atStart) + 1;
		int detailStart = stored.indexOf('|', stateStart) + 1;
		if (stored.startsWith("{", detailStart)) {
			return JsonCodec.MAPPER.readValue(stored.substring(detailStart), Delivery.class);
		}
		// User ids and channels hold no '|'; a device is the rest of the field.
		int channelStart = field.indexOf('|') + 1;
		int channelEnd = field.indexOf('|', channelStart);
		String at = Instant.ofEpochMilli(Long.parseLong(stored.substring(atStart, stateStart - 1))).toString();
		return new Delivery(field.substring(0, channelStart - 1),
				field.substring(channelStart, (channelEnd < 0) ? field.length() : channelEnd),
				(channelEnd < 0) ? null : field.substring(channelEnd + 1),
				stored.substring(stateStart, detailStart - 1), null, null, null,
				(detailStart < stored.length()) ? Long.valueOf(stored.substring(detailStart)) : null, at);
	}

	/**
	 * The key of an event's counts hash (docs/adr/037), beside the keys of
	 * {@link #keys(String, String)}.
	 */
	static String countsKey(String tenant, String eventId) {
		return prefix(tenant, eventId) + "counts";
	}

	/** The keys of an event's status: its meta, deliveries and summary hashes. */
	static List<String> keys(String tenant, String eventId) {
		String prefix = prefix(tenant, eventId);
		return List.of(prefix + "meta", prefix + "deliveries", prefix + "summary");
	}

	private static String prefix(String tenant, String eventId) {
		return "herald:status:{" + tenant + ":" + eventId + "}:";
	}

	/** The events the tenant accepted on a day (UTC), scored by their acceptance (ms). */
	static String acceptedKey(String tenant, LocalDate day) {
		return "herald:status:{" + tenant + ":" + day + "}:accepted";
	}

	/** The user's recent deliveries, scored by the time of their state (ms). */
	static String recentKey(String tenant, String userId) {
		return "herald:status:{" + tenant + ":" + userId + "}:recent";
	}

	/**
	 * A delivery among its user's recent ones: {@code <eventId>|<channel>[|<device>]}.
	 */
	static String recentMember(StatusReported status) {
		return status.eventId() + "|" + status.channel().wireName()
				+ ((status.device() != null) ? "|" + status.device() : "");
	}

	static LocalDate day(Instant instant) {
		return LocalDate.ofInstant(instant, ZoneOffset.UTC);
	}

	private record AcceptedDay(String tenant, LocalDate day) {
	}

}
