package io.herald.support.unsubscribe;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.herald.support.secrets.SharedSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The signed unsubscribe links in email (RFC 8058): delivery signs them, routing checks
 * them.
 *
 * @param signingKey the HMAC-SHA256 key links are signed and checked with, at least
 * {@value SharedSecrets#MIN_LENGTH} characters, from the environment only
 * ({@code HERALD_UNSUBSCRIBE_SIGNINGKEY}); delivery and routing need the same one. Unset:
 * delivery adds no {@code List-Unsubscribe} header and routing refuses every link
 * @param previousSigningKeys keys links were signed with before the current one, still
 * accepted (never used to sign, even without {@code signingKey}), so that rotating the
 * key breaks no link already sent
 * @param baseUrl where recipients reach routing's public API, such as
 * {@code https://notify.example.com}: links are
 * {@code <base-url>/v1/unsubscribe/<token>}. {@code https}, or {@code http} for a
 * loopback host (the local stack). Unset: delivery adds no header
 * @param maxAge how long a link works after it was sent; unset (the default): for ever,
 * since mailbox providers follow links long after delivery and a user may unsubscribe
 * from a mail years old
 */
@ConfigurationProperties("herald.unsubscribe")
public record UnsubscribeProperties(@Nullable String signingKey, @DefaultValue List<String> previousSigningKeys,
		@Nullable URI baseUrl, @Nullable Duration maxAge) {

	private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

	public UnsubscribeProperties {
		if (signingKey != null) {
			SharedSecrets.check(signingKey, "herald.unsubscribe.signing-key (HERALD_UNSUBSCRIBE_SIGNINGKEY)",
					"delivery and routing", "to send email without unsubscribe links");
		}
		previousSigningKeys = (previousSigningKeys != null) ? List.copyOf(previousSigningKeys) : List.of();
		for (int i = 0; i < previousSigningKeys.size(); i++) {
			SharedSecrets.check(previousSigningKeys.get(i), "herald.unsubscribe.previous-signing-keys[" + i + "]",
					"delivery and routing", "(drop it from the list)");
		}
		if (baseUrl != null) {
			checkBaseUrl(baseUrl);
		}
		if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
			throw new IllegalArgumentException(
					"herald.unsubscribe.max-age must be positive, or unset for links that never expire");
		}
	}

	/** The keys a link may be signed with: the current one first. */
	List<String> verificationKeys() {
		List<String> keys = new ArrayList<>();
		if (this.signingKey != null) {
			keys.add(this.signingKey);
		}
		keys.addAll(this.previousSigningKeys);
		return keys;
	}

	private static void checkBaseUrl(URI baseUrl) {
		String scheme = (baseUrl.getScheme() != null) ? baseUrl.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (baseUrl.getHost() != null) ? baseUrl.getHost().toLowerCase(Locale.ROOT) : null;
		boolean valid = host != null && baseUrl.getQuery() == null && baseUrl.getFragment() == null
				&& (scheme.equals("https") || (scheme.equals("http") && LOOPBACK_HOSTS.contains(host)));
		if (!valid) {
			throw new IllegalArgumentException("herald.unsubscribe.base-url (HERALD_UNSUBSCRIBE_BASEURL) must be an "
					+ "https URL without query, such as https://notify.example.com (http only for 127.0.0.1 or "
					+ "localhost), but is '" + baseUrl + "'");
		}
	}

}
