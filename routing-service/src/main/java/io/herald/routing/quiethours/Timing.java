package io.herald.routing.quiethours;

import java.time.Instant;

/**
 * When an event may go out to a user: now, or held until an instant for a stable reason.
 */
public sealed interface Timing {

	/** Deliver now. */
	record Now() implements Timing {
	}

	/**
	 * Hold until {@code until}, then decide again.
	 *
	 * @param reason {@link DeliveryTiming#SEND_AT} or {@link DeliveryTiming#QUIET_HOURS}
	 */
	record Hold(Instant until, String reason) implements Timing {
	}

}
