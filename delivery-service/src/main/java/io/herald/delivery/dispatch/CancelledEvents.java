package io.herald.delivery.dispatch;

import io.herald.events.EventCancelled;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Which events were cancelled ({@code DELETE /v1/events/{eventId}}, docs/adr/029): the
 * cancellation API marks a cancelled event in Redis ({@link EventCancelled#redisKey}) for longer
 * than a request can wait in the retry topics, and the dispatcher asks before a request's first
 * send and before every retry. A request read before the mark was written goes out; one read after
 * it is reported {@code cancelled} instead and never sent.
 */
@Component
class CancelledEvents {

	private final StringRedisTemplate redis;

	CancelledEvents(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Why an event was cancelled, or {@code null} when it was not.
	 * @throws org.springframework.dao.DataAccessException when Redis cannot be reached: the batch
	 * is then handled again, as for the send ledger
	 */
	@Nullable String reason(String tenant, String eventId) {
		return this.redis.opsForValue().get(EventCancelled.redisKey(tenant, eventId));
	}

}
