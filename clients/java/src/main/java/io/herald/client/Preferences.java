package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * A user's preferences (API.md section 2).
 *
 * @param channels channels turned on or off ({@link Channel} wire names as keys)
 * @param categories rules by category pattern, such as {@code marketing.*}
 * @param quietHours when non-critical notifications wait, in the user's time zone
 */
public record Preferences(Map<String, Boolean> channels, Map<String, CategoryRule> categories,
		@Nullable QuietHours quietHours) {

	public Preferences {
		channels = Map.copyOf(channels);
		categories = Map.copyOf(categories);
	}

	/**
	 * What a category pattern allows.
	 *
	 * @param enabled {@code false} turns the categories off
	 * @param channels the only channels they may use ({@link Channel} wire names), or
	 * {@code null}
	 * @param digest {@code "off"} to send them at once where the tenant digests them, a
	 * window ({@code "PT1H"}, or a time of day {@code "09:00"}) to digest them, or
	 * {@code null} for the tenant's setting
	 */
	public record CategoryRule(@Nullable Boolean enabled, @Nullable List<String> channels, @Nullable String digest) {

		/** A rule without a digest choice. */
		public CategoryRule(@Nullable Boolean enabled, @Nullable List<String> channels) {
			this(enabled, channels, null);
		}

	}

	/** A daily window, possibly across midnight ({@code 22:00} to {@code 07:00}). */
	public record QuietHours(LocalTime start, LocalTime end) {
	}

}
