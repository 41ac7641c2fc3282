package io.herald.ingestion.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pages of the lists: a tenant's events by acceptance time and a user's recent
 * deliveries, newest first, read from the indexes {@link StatusStore} writes. A page goes
 * on after a {@link Position} (keyset, not offset): an entry that was before the position
 * when a walk began is neither shown twice nor skipped by the walk's later pages, however
 * many entries are added meanwhile. An entry that changes during a walk (a delivery
 * reaching a later state) moves to the head of the list, where a new walk finds it. An
 * entry whose status has expired is left out, so a page may hold fewer entries than asked
 * for; only a page without a next position ends the list.
 */
@Component
class StatusLists {

	private final StringRedisTemplate redis;

	StatusLists(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * The tenant's events accepted in {@code [from, to)} (to the millisecond), newest
	 * first.
	 * @throws DataAccessException when Redis cannot be reached
	 */
	Page<EventSummary> events(String tenant, Instant from, Instant to, int limit, @Nullable Position after) {
		long min = from.toEpochMilli();
		long max = to.toEpochMilli() - 1;
		List<TypedTuple<String>> found = new ArrayList<>(limit + 1);
		if (min <= max) {
			for (LocalDate day = StatusStore.day(Instant.ofEpochMilli(max)); found.size() <= limit
					&& !day.isBefore(StatusStore.day(from)); day = day.minusDays(1)) {
				long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
				if (after != null && after.score() < Math.max(min, dayStart)) {
					continue;
				}
				long dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
				found.addAll(newestFirst(StatusStore.acceptedKey(tenant, day), Math.max(min, dayStart),
						Math.min(max, dayEnd), after, limit + 1 - found.size()));
			}
		}
		List<TypedTuple<String>> shown = found.subList(0, Math.min(limit, found.size()));
		List<Object> replies = this.redis.executePipelined(new SessionCallback<@Nullable Object>() {
			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public @Nullable Object execute(RedisOperations operations) {
				for (TypedTuple<String> event : shown) {
					List<String> keys = StatusStore.keys(tenant, event.getValue());
					operations.opsForHash().multiGet(keys.get(0), List.of("acceptedAt", "type"));
					operations.opsForHash().entries(keys.get(2));
				}
				return null;
			}
		});
		List<EventSummary> events = new ArrayList<>(shown.size());
		for (int i = 0; i < shown.size(); i++) {
			List<?> meta = (List<?>) replies.get(2 * i);
			if (meta.get(0) instanceof String acceptedAt && meta.get(1) instanceof String type) {
				@SuppressWarnings("unchecked")
				Map<Object, Object> summary = (Map<Object, Object>) replies.get(2 * i + 1);
				events.add(new EventSummary(shown.get(i).getValue(), type, acceptedAt, StatusStore.summary(summary)));
			}
		}
		return new Page<>(events, next(found, limit));
	}

	/**
	 * The user's recent deliveries, newest first.
	 * @throws DataAccessException when Redis cannot be reached
	 */
	Page<UserDelivery> deliveries(String tenant, String userId, int limit, @Nullable Position after) {
		List<TypedTuple<String>> found = newestFirst(StatusStore.recentKey(tenant, userId), 0, Long.MAX_VALUE, after,
				limit + 1);
		List<TypedTuple<String>> shown = found.subList(0, Math.min(limit, found.size()));
		List<Object> replies = this.redis.executePipelined(new SessionCallback<@Nullable Object>() {
			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public @Nullable Object execute(RedisOperations operations) {
				for (TypedTuple<String> delivery : shown) {
					// '<eventId>|<channel>[|<device>]': the event and the delivery's
					// field without its user.
					String member = delivery.getValue();
					int separator = member.indexOf('|');
					operations.opsForHash()
						.get(StatusStore.keys(tenant, member.substring(0, separator)).get(1),
								userId + member.substring(separator));
				}
				return null;
			}
		});
		List<UserDelivery> deliveries = new ArrayList<>(shown.size());
		for (int i = 0; i < shown.size(); i++) {
			if (replies.get(i) instanceof String stored) {
				String member = shown.get(i).getValue();
				deliveries.add(UserDelivery.of(member.substring(0, member.indexOf('|')),
						StatusStore.delivery(userId + member.substring(member.indexOf('|')), stored)));
			}
		}
		return new Page<>(deliveries, next(found, limit));
	}

	/**
	 * Up to {@code count} members of a sorted set with scores in {@code [min, max]}, by
	 * score and then member, descending, that come after {@code after}. Members of the
	 * same score come in reverse byte order, as Redis sorts them.
	 */
	private List<TypedTuple<String>> newestFirst(String key, long min, long max, @Nullable Position after, int count) {
		long top = (after != null) ? Math.min(max, after.score()) : max;
		List<TypedTuple<String>> found = new ArrayList<>(count);
		Set<String> seen = new HashSet<>();
		long offset = 0;
		while (top >= min && found.size() < count) {
			int chunk = count + 1;
			Set<TypedTuple<String>> range = this.redis.opsForZSet()
				.reverseRangeByScoreWithScores(key, min, top, offset, chunk);
			if (range == null || range.isEmpty()) {
				break;
			}
			for (TypedTuple<String> entry : range) {
				// A member seen again: the set changed between two reads of this page.
				if (comesAfter(entry, after) && seen.add(entry.getValue()) && found.size() < count) {
					found.add(entry);
				}
			}
			if (range.size() < chunk) {
				break;
			}
			offset += range.size();
		}
		return found;
	}

	private static boolean comesAfter(TypedTuple<String> entry, @Nullable Position after) {
		if (after == null) {
			return true;
		}
		long score = score(entry);
		return score < after.score()
				|| (score == after.score() && Arrays.compareUnsigned(entry.getValue().getBytes(StandardCharsets.UTF_8),
						after.member().getBytes(StandardCharsets.UTF_8)) < 0);
	}

	private static @Nullable Position next(List<TypedTuple<String>> found, int limit) {
		if (found.size() <= limit) {
			return null;
		}
		TypedTuple<String> last = found.get(limit - 1);
		return new Position(score(last), last.getValue());
	}

	private static long score(TypedTuple<String> entry) {
		Double score = entry.getScore();
		return (score != null) ? score.longValue() : 0;
	}

	/**
	 * Where a page ended.
	 *
	 * @param score the last entry's score: a time in milliseconds
	 * @param member the last entry
	 */
	record Position(long score, String member) {
	}

	/**
	 * A page of a list.
	 *
	 * @param items the entries, newest first
	 * @param next where the next page starts; {@code null} on the last page
	 */
	record Page<T>(List<T> items, @Nullable Position next) {
	}

	/**
	 * An event of {@code GET /v1/events}.
	 *
	 * @param summary counts per channel and state of its deliveries so far
	 */
	record EventSummary(String eventId, String type, String acceptedAt, Map<String, Map<String, Long>> summary) {
	}

	/** A delivery of {@code GET /v1/users/{userId}/deliveries}. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record UserDelivery(String eventId, String notificationId, String channel, @Nullable String device, String state,
			@Nullable String reason, @Nullable String until, @Nullable String providerId, @Nullable Long seq,
			String updatedAt) {

		static UserDelivery of(String eventId, Delivery delivery) {
			return new UserDelivery(eventId,
					DeliverNotification.notificationId(eventId, delivery.userId(),
							Channel.fromWireName(delivery.channel())),
					delivery.channel(), delivery.device(), delivery.state(), delivery.reason(), delivery.until(),
					delivery.providerId(), delivery.seq(), delivery.at());
		}

	}

}
