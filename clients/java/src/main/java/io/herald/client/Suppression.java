package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * An address of the user's profile that Herald does not send to: from the first refusal
 * of a provider that showed it dead, or added by hand, until it is lifted or the profile
 * names another address for the channel.
 *
 * @param channel {@link Channel#EMAIL} or {@link Channel#SMS}
 * @param address the email address or phone number suppressed
 * @param reason why
 * @param reasonName the reason as Herald named it, also for
 * {@link SuppressionReason#OTHER}
 * @param since when it was suppressed; {@code null} in a write Herald has not shown yet
 * @param notificationId the notification whose sending failed; {@code null} for one added
 * by hand
 */
public record Suppression(Channel channel, String address, SuppressionReason reason, String reasonName,
		@Nullable Instant since, @Nullable String notificationId) {
}
