package io.herald.gateway.auth;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * The user a verified token speaks for.
 *
 * @param tenant the tenant ({@code tid})
 * @param userId the user ({@code sub})
 * @param expiresAt when the token expires ({@code exp}); {@code null} for a token without expiry
 */
public record UserPrincipal(String tenant, String userId, @Nullable Instant expiresAt) {
}
