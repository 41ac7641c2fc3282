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

	/** Most category rules a user may have: every write is held to it. */
	public static final int MAX_CATEGORY_RULES = 100;

	/** Everything on, no quiet hours. */
	public static final Preferences DEFAULT = new Preferences(Map.of(), Map.of(), null);

	public Preferences {
		channels = Channel.mapOf(channels);
		categories = (categories != null) ? Collections.unmodifiableSortedMap(new TreeMap<>(categories)) : Map.of();
	}

	/**
	 * The rule of the most specific pattern matching a category. An exact pattern
	 * ({@code order.shipped}) beats every wildcard; among wildcards (a pattern ending in
	 * {@code *}, such as {@code marketing.*}, matching every category that starts with
	 * what precedes the {@code *}) the longest prefix wins; {@code *} matches everything
	 * and is the least specific.
	 * @return the winning rule, or {@code null} when no pattern matches
	 */
	public @Nullable CategoryRule ruleFor(String category) {
		String pattern = CategoryPatterns.bestMatch(this.categories.keySet(), category);
		return (pattern != null) ? this.categories.get(pattern) : null;
	}

	/**
	 * The pattern of {@link #ruleFor(String)}: the most specific one matching a category.
	 */
	public @Nullable String patternFor(String category) {
		return CategoryPatterns.bestMatch(this.categories.keySet(), category);
	}

	/**
	 * Whether a rule makes a digest choice, a field that releases before digests drop
	 * ({@link UserCommand.ReplacePreferences#of}).
	 */
	public boolean choosesDigests() {
		for (CategoryRule rule : this.categories.values()) {
			if (rule.digest() != null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A rule for the event types matching a pattern.
	 *
	 * @param enabled {@code false} turns the category off; {@code null} leaves it on
	 * @param channels the only channels the category may use; {@code null} for no
	 * restriction
	 * @param digest {@value #DIGEST_OFF} to send the category at once even where the
	 * tenant digests it, a window ({@link DigestWindow}: {@code PT1H}, {@code 09:00}) to
	 * digest it, or {@code null} for the tenant's setting (docs/adr/036)
	 */
	public record CategoryRule(@Nullable Boolean enabled, @Nullable Set<Channel> channels, @Nullable String digest) {

		/** The {@link #digest()} that sends a category at once. */
		public static final String DIGEST_OFF = "off";

		public CategoryRule {
			channels = (channels != null) ? Channel.setOf(channels) : null;
			if (digest != null && !DIGEST_OFF.equals(digest) && DigestWindow.parse(digest) == null) {
				throw new IllegalArgumentException("digest must be off, a duration PT1M..P7D or HH:mm, not " + digest);
			}
		}

		/** A rule without a digest choice. */
		public CategoryRule(@Nullable Boolean enabled, @Nullable Set<Channel> channels) {
			this(enabled, channels, null);
		}

		/**
		 * The user's digest choice: {@link DigestChoice.Tenant} when the rule makes none.
		 */
		public DigestChoice digestChoice() {
			if (this.digest == null) {
				return new DigestChoice.Tenant();
			}
			DigestWindow window = DigestWindow.parse(this.digest);
			return (window != null) ? new DigestChoice.Digest(window) : new DigestChoice.Off();
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
