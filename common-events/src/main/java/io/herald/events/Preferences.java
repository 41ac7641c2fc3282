package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.time.LocalTime;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Set;

/**
 * What a user wants to receive, as {@code PUT /v1/users/{userId}/preferences} stores it.
 *
 * @param channels channel switches; a channel not named is on
 * @param categories rules per event-type pattern ({@code order.shipped},
 * {@code marketing.*}, {@code *}); the most specific matching pattern wins
 * @param quietHours the user's quiet hours, or {@code null} for none
 */
public record Preferences(Map<Channel, Boolean> channels, Map<String, CategoryRule> categories,
		@Nullable QuietHours quietHours) {

	/** Everything on, no quiet hours. */
	public static final Preferences DEFAULT = new Preferences(Map.of(), Map.of(), null);

	public Preferences {
		channels = Channel.mapOf(channels);
		categories = (categories != null) ? Collections.unmodifiableSortedMap(new TreeMap<>(categories)) : Map.of();
	}

	/**
	 * A rule for the event types matching a pattern.
	 *
	 * @param enabled {@code false} turns the category off; {@code null} leaves it on
	 * @param channels the only channels the category may use; {@code null} for no
	 * restriction
	 */
	public record CategoryRule(@Nullable Boolean enabled, @Nullable Set<Channel> channels) {

		public CategoryRule {
			channels = (channels != null) ? Channel.setOf(channels) : null;
		}

	}

	/**
	 * Quiet hours in the user's timezone; a window whose end is before its start crosses
	 * midnight ({@code 22:00} to {@code 07:00}).
	 *
	 * @param start when the quiet window starts
	 * @param end when it ends
	 */
	public record QuietHours(LocalTime start, LocalTime end) {

		public QuietHours {
			Objects.requireNonNull(start, "start");
			Objects.requireNonNull(end, "end");
		}

	}

}
