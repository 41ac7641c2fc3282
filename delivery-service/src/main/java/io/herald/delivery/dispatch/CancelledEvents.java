package io.herald.delivery.dispatch;

import io.herald.events.DeliverNotification;
import io.herald.events.EventCancelled;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which events were cancelled ({@code DELETE /v1/events/{eventId}}, docs/adr/029): the
 * cancellation API marks a cancelled event in Redis ({@link EventCancelled#redisKey}) for
 * longer than a request can wait in the retry topics, and the dispatcher reads the marks
 * of a batch's events with one {@code MGET} before the batch's first tries and before
 * every retry. A request read before the mark was written goes out; one read after it is
 * not sent, unless the send ledger records it as sent already.
 */
@Component
class CancelledEvents {

	/** The marks of a batch with no cancelled event, or nothing to ask about. */
	static final Marks NONE = new Marks(Map.of());

	private final StringRedisTemplate redis;

	CancelledEvents(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * The marks of the requests' events: one {@code MGET} of the distinct events, none
	 * for no request.
	 * @throws org.springframework.dao.DataAccessException when Redis cannot be reached:
	 * the batch is then handled again, as for the send ledger
	 */
	Marks of(List<DeliverNotification> requests) {
		Set<String> keys = new LinkedHashSet<>();
		for (DeliverNotification request : requests) {
			keys.add(EventCancelled.redisKey(request.tenant(), request.eventId()));
		}
		if (keys.isEmpty()) {
			return NONE;
		}
		List<String> asked = new ArrayList<>(keys);
		List<String> reasons = this.redis.opsForValue().multiGet(asked);
		Map<String, String> cancelled = new HashMap<>();
		for (int i = 0; reasons != null && i < asked.size(); i++) {
			if (reasons.get(i) != null) {
				cancelled.put(asked.get(i), reasons.get(i));
			}
		}
		return cancelled.isEmpty() ? NONE : new Marks(cancelled);
	}

	/**
	 * The cancelled events among those of a batch, by their mark's key, with the mark:
	 * the reason.
	 */
	record Marks(Map<String, String> reasons) {

		/** Why the request's event was cancelled, or {@code null} when it was not. */
		@Nullable String reason(DeliverNotification request) {
			return this.reasons.isEmpty() ? null
					: this.reasons.get(EventCancelled.redisKey(request.tenant(), request.eventId()));
		}

	}

}
