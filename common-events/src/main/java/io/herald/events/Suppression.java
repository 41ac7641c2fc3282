package io.herald.events;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An address of a user that Herald no longer sends to on one channel, because a provider
 * refused it for good or someone said so. Kept in the user's {@link UserState} while the
 * user's profile has that address for that channel; a profile that names another address
 * (or none) drops it.
 *
 * @param channel {@link Channel#EMAIL} or {@link Channel#SMS}
 * @param address the email address or E.164 number, as the profile has it
 * @param reason why
 * @param since when it was recorded
 * @param notificationId the notification whose sending failed, or {@code null} (added by
 * hand)
 */
public record Suppression(Channel channel, String address, SuppressionReason reason, Instant since,
		@Nullable String notificationId) {

	public Suppression {
		requireAddressChannel(channel);
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(since, "since");
	}

	/**
	 * Whether this suppression is about an address: the same number, or the same email
	 * address but for the case of its letters (which mail servers ignore in practice).
	 */
	public boolean isFor(@Nullable String address) {
		if (address == null) {
			return false;
		}
		return (this.channel == Channel.EMAIL)
				? this.address.toLowerCase(Locale.ROOT).equals(address.toLowerCase(Locale.ROOT))
				: this.address.equals(address);
	}

	/**
	 * Checks that a channel has addresses that can be suppressed: email and SMS. Push
	 * devices are removed instead; in-app has no address.
	 * @throws IllegalArgumentException for another channel
	 */
	public static Channel requireAddressChannel(Channel channel) {
		Objects.requireNonNull(channel, "channel");
		return switch (channel) {
			case EMAIL, SMS -> channel;
			case INAPP, PUSH -> throw new IllegalArgumentException(
					"only email and sms addresses are suppressed, not " + channel.wireName());
		};
	}

}
