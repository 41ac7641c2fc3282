package io.herald.delivery.receipt;

import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * Receipt references outside an application context, for tests of other packages.
 */
public final class TestReceiptReferences {

	/** The default retention of a reference. */
	public static final Duration RETENTION = Duration.ofDays(7);

	private TestReceiptReferences() {
	}

	/**
	 * The receipt reference of the send of an email or SMS request: its key is the
	 * notification id.
	 */
	public static String of(DeliverNotification notification) {
		return ReceiptReferences
			.of(new Send(notification.notificationId(), notification, notification.message(), null, 1));
	}

	/**
	 * The references of sends of {@code channels}, kept for {@link #RETENTION}, on
	 * {@code redis}.
	 */
	public static ReceiptReferences on(StringRedisTemplate redis, Channel... channels) {
		return new ReceiptReferences(redis, new ReceiptProperties(null, RETENTION, Duration.ofSeconds(10)),
				Arrays.stream(channels).map(ReceiptChannel::new).toList(), Clock.systemUTC());
	}

}
