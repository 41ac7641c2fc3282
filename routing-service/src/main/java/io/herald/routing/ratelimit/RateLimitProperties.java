package io.herald.routing.ratelimit;

import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * Per-user rate limits of the routing topology, per channel. A channel without a limit is
 * not limited; {@code critical} events are never limited.
 *
 * @param channels the limit of each limited channel ({@code sms: {max: 5, window: 1h}});
 * when not configured at all, {@link #DEFAULTS}
 */
@ConfigurationProperties("herald.routing.rate-limits")
public record RateLimitProperties(@Nullable Map<Channel, RateLimit> channels) {

	/**
	 * Limits when none are configured: SMS and email cost money and attention, push
	 * interrupts; in-app is silent and unlimited.
	 */
	public static final Map<Channel, RateLimit> DEFAULTS = Map.of(Channel.SMS, new RateLimit(5, Duration.ofHours(1)),
			Channel.EMAIL, new RateLimit(20, Duration.ofHours(1)), Channel.PUSH,
			new RateLimit(30, Duration.ofHours(1)));

	public RateLimitProperties {
		channels = (channels != null) ? Map.copyOf(channels) : DEFAULTS;
	}

	/** The limit of a channel, or {@code null} when it is not limited. */
	public @Nullable RateLimit limitFor(Channel channel) {
		Map<Channel, RateLimit> channels = this.channels;
		return (channels != null) ? channels.get(channel) : null;
	}

}
