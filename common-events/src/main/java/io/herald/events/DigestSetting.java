package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalTime;
import java.util.Objects;

/**
 * A tenant's digest setting for a category pattern (docs/adr/036): the value of
 * {@link Topics#DIGEST_SETTINGS}, keyed {@code tenant|pattern}; a tombstone removes it.
 * Exactly one of {@code window} and {@code dailyAt} is set.
 *
 * @param schemaVersion the version of this record's shape
 * @param tenant the tenant
 * @param pattern the category pattern ({@code order.shipped}, {@code marketing.*},
 * {@code *})
 * @param window an ISO-8601 duration from the digest's first notification, or
 * {@code null}
 * @param dailyAt the time of day in the user's timezone the digest goes out at, or
 * {@code null}
 * @param template the template the digest is rendered with, or {@code null} for
 * {@value #DEFAULT_TEMPLATE}
 * @param updatedAt when the setting was written
 */
public record DigestSetting(int schemaVersion, String tenant, String pattern, @Nullable String window,
		@Nullable LocalTime dailyAt, @Nullable String template, Instant updatedAt) implements Versioned {

	/** The version written by this code. */
	public static final int SCHEMA_VERSION = 1;

	/** The template a digest is rendered with unless its setting names another. */
	public static final String DEFAULT_TEMPLATE = "digest";

	/** Most digest settings per tenant. */
	public static final int MAX_PER_TENANT = 100;

	public DigestSetting {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(pattern, "pattern");
		Objects.requireNonNull(updatedAt, "updatedAt");
		if ((window == null) == (dailyAt == null)) {
			throw new IllegalArgumentException("a digest setting has either window or dailyAt");
		}
		if (window != null && !(DigestWindow.parse(window) instanceof DigestWindow.Every)) {
			throw new IllegalArgumentException("window must be a duration PT1M..P7D, not " + window);
		}
	}

	/** The setting's window. */
	public DigestWindow digestWindow() {
		return (this.dailyAt != null) ? new DigestWindow.DailyAt(this.dailyAt)
				: Objects.requireNonNull(DigestWindow.parse(this.window));
	}

	/** The template a digest of this setting is rendered with. */
	public String templateOrDefault() {
		return (this.template != null) ? this.template : DEFAULT_TEMPLATE;
	}

	/** The key of the setting on its topic. */
	public String key() {
		return PartitionKeys.user(this.tenant, this.pattern);
	}

}
