package io.herald.gateway.auth;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * The user a verified token speaks for.
 *
 * @param tenant the tenant ({@code tid})
 * @param userId the user ({@code sub})
 * @param validUntil the first instant at which the gateway refuses the token: its
 * {@code exp} plus the clock skew the gateway tolerates; {@code null} for a token without
 * expiry. A session opened with the token lasts until then, the same instant from which
 * an upgrade or a request with it is refused.
 */
public record UserPrincipal(String tenant, String userId, @Nullable Instant validUntil) {
}
