package io.herald.routing.quiethours;

import io.herald.events.Preferences.QuietHours;
import io.herald.events.Priority;
import org.jspecify.annotations.Nullable;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * When an event may go out to a user: a pure function of the event's {@code sendAt} and
 * priority, the user's quiet hours and timezone, and the current instant.
 *
 * <ul>
 * <li>{@code sendAt} in the future holds the event until {@code sendAt}
 * ({@link #SEND_AT}), for every priority: it is the sender's explicit wish.</li>
 * <li>Otherwise a non-critical event inside the user's quiet hours is held until the end
 * of the window ({@link #QUIET_HOURS}); {@code critical} bypasses quiet hours.</li>
 * </ul>
 * A held event is decided again when it is released, so an event released at
 * {@code sendAt} inside quiet hours is held once more, until the end of the window.
 */
public final class DeliveryTiming {

	/** Held because the event's {@code sendAt} is in the future. */
	public static final String SEND_AT = "send_at";

	/** Held because the user is in quiet hours. */
	public static final String QUIET_HOURS = "quiet_hours";

	private final QuietHoursRule quietHours = new QuietHoursRule();

	/**
	 * Decides when to deliver.
	 * @param sendAt the event's {@code sendAt}, or {@code null}
	 * @param priority the event's priority
	 * @param quietHours the user's quiet hours, or {@code null}
	 * @param timezone the user's IANA timezone; {@code null} or unknown means UTC
	 * @param now the current instant
	 */
	public Timing decide(@Nullable Instant sendAt, Priority priority, @Nullable QuietHours quietHours,
			@Nullable String timezone, Instant now) {
		if (sendAt != null && sendAt.isAfter(now)) {
			return new Timing.Hold(sendAt, SEND_AT);
		}
		if (priority == Priority.CRITICAL) {
			return new Timing.Now();
		}
		Optional<Instant> end = this.quietHours.endOfWindow(quietHours, zone(timezone), now);
		return end.<Timing>map((until) -> new Timing.Hold(until, QUIET_HOURS)).orElseGet(Timing.Now::new);
	}

	/**
	 * The zone of an IANA id; {@code null}, blank or unknown ids are UTC, so a typo never
	 * blocks delivery.
	 */
	public static ZoneId zone(@Nullable String timezone) {
		if (timezone == null || timezone.isBlank()) {
			return ZoneOffset.UTC;
		}
		try {
			return ZoneId.of(timezone);
		}
		catch (DateTimeException ex) {
			return ZoneOffset.UTC;
		}
	}

}
