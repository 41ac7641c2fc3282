package io.herald.support.unsubscribe;

import java.time.Instant;
import java.util.Objects;

import io.herald.events.Identifiers;
import org.jspecify.annotations.Nullable;

/**
 * What one signed unsubscribe link turns off: email of one category for one user, or all
 * of the user's email. Links are signed by {@link UnsubscribeLinks}; whoever holds one
 * may use it, so it says no more than what it turns off.
 *
 * @param tenant the user's tenant
 * @param userId the user
 * @param scope what the link turns off
 * @param category the event type whose email it turns off, for
 * {@link Scope#CATEGORY_EMAIL}; {@code null} for {@link Scope#ALL_EMAIL}
 * @param issuedAt when the link was made (seconds are kept, fractions dropped)
 */
public record UnsubscribeLink(String tenant, String userId, Scope scope, @Nullable String category, Instant issuedAt) {

	public UnsubscribeLink {
		require(Identifiers.matches(Identifiers.TENANT, tenant), "tenant", tenant);
		require(Identifiers.matches(Identifiers.USER_ID, userId), "userId", userId);
		Objects.requireNonNull(scope, "scope");
		if (scope == Scope.CATEGORY_EMAIL) {
			require(category != null && Identifiers.matches(Identifiers.EVENT_TYPE, category), "category",
					String.valueOf(category));
		}
		else if (category != null) {
			throw new IllegalArgumentException("a link for all email names no category");
		}
		issuedAt = Instant.ofEpochSecond(issuedAt.getEpochSecond());
	}

	/** A link that turns off one category's email. */
	public static UnsubscribeLink category(String tenant, String userId, String category, Instant issuedAt) {
		return new UnsubscribeLink(tenant, userId, Scope.CATEGORY_EMAIL, category, issuedAt);
	}

	/** A link that turns off all of the user's email. */
	public static UnsubscribeLink allEmail(String tenant, String userId, Instant issuedAt) {
		return new UnsubscribeLink(tenant, userId, Scope.ALL_EMAIL, null, issuedAt);
	}

	/** The same user's link for all email, issued at {@code issuedAt}. */
	public UnsubscribeLink forAllEmail(Instant issuedAt) {
		return allEmail(this.tenant, this.userId, issuedAt);
	}

	private static void require(boolean valid, String name, String value) {
		if (!valid) {
			throw new IllegalArgumentException("not a valid " + name + ": '" + value + "'");
		}
	}

	/** What a link turns off. */
	public enum Scope {

		/** Email of one category (event type); the category's other channels stay. */
		CATEGORY_EMAIL("c"),

		/** Every email to the user. */
		ALL_EMAIL("e");

		private final String code;

		Scope(String code) {
			this.code = code;
		}

		/** Its letter in a token. */
		String code() {
			return this.code;
		}

		static @Nullable Scope ofCode(String code) {
			for (Scope scope : values()) {
				if (scope.code.equals(code)) {
					return scope;
				}
			}
			return null;
		}

	}

}
