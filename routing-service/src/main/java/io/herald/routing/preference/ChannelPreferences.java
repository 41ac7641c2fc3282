package io.herald.routing.preference;

import io.herald.events.Channel;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Profile;
import io.herald.events.UserState;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides on which channels a user receives an event: a pure function of the event's
 * category, the channels it asks for, and the user's state.
 *
 * <p>
 * Rules, in order, per channel:
 * <ol>
 * <li>Only the channels the event asks for are decided on ({@code channels} empty: every
 * channel). A channel the event did not ask for gets no decision at all: nothing was
 * requested there, so nothing is reported.</li>
 * <li>The user's channel switch: a channel switched off is skipped
 * ({@link #PREFERENCE}).</li>
 * <li>The category rule: the most specific pattern matching the event's type wins, see
 * {@link Preferences#ruleFor(String)}. A rule with {@code enabled: false} skips every
 * channel, a rule with {@code channels} skips every channel not listed
 * ({@link #PREFERENCE} in both cases). Rules of different specificity are not
 * merged.</li>
 * <li>The contact point: email needs an address ({@link #NO_EMAIL}), SMS a phone number
 * ({@link #NO_PHONE}), push at least one device ({@link #NO_DEVICE}). In-app needs
 * nothing.</li>
 * <li>The suppression list: an email address or phone number a provider refused for good
 * ({@link UserState#suppression(Channel)}) is skipped with the suppression's reason
 * ({@code bad_address}, {@code invalid_number}, {@code unsubscribed}, {@code complaint},
 * {@code manual}).</li>
 * </ol>
 * Preferences and suppressions apply to {@code critical} events too: only quiet hours and
 * rate limits are bypassed by priority. A suppressed channel is no fallback either: a
 * critical notification falls back to the other channels only.
 *
 * <p>
 * The reasons are stable strings that appear in {@code herald.status} and the public
 * status API; {@link #PREFERENCE} matches the example of API.md.
 */
public final class ChannelPreferences {

	/**
	 * The user's preferences turn this channel off for this event (switch or category
	 * rule).
	 */
	public static final String PREFERENCE = "preference";

	/** Email was wanted but the user has no email address. */
	public static final String NO_EMAIL = "no_email";

	/** SMS was wanted but the user has no phone number. */
	public static final String NO_PHONE = "no_phone";

	/** Push was wanted but the user has no registered device. */
	public static final String NO_DEVICE = "no_device";

	/**
	 * Decides every requested channel, in {@link Channel} order.
	 * @param category the event's type, for example {@code order.shipped}
	 * @param requested the channels asked for; empty for every channel
	 * @param user the recipient
	 * @return one decision per requested channel
	 */
	public List<ChannelDecision> decide(String category, Set<Channel> requested, UserState user) {
		Preferences preferences = user.preferences();
		CategoryRule rule = preferences.ruleFor(category);
		List<ChannelDecision> decisions = new ArrayList<>(Channel.values().length);
		for (Channel channel : Channel.values()) {
			if (!requested.isEmpty() && !requested.contains(channel)) {
				continue;
			}
			decisions.add(decide(channel, preferences, rule, user));
		}
		return decisions;
	}

	private static ChannelDecision decide(Channel channel, Preferences preferences, @Nullable CategoryRule rule,
			UserState user) {
		if (Boolean.FALSE.equals(preferences.channels().get(channel))) {
			return new ChannelDecision.Skip(channel, PREFERENCE);
		}
		if (rule != null) {
			if (Boolean.FALSE.equals(rule.enabled())) {
				return new ChannelDecision.Skip(channel, PREFERENCE);
			}
			if (rule.channels() != null && !rule.channels().contains(channel)) {
				return new ChannelDecision.Skip(channel, PREFERENCE);
			}
		}
		Profile profile = user.profile();
		return switch (channel) {
			case INAPP -> new ChannelDecision.Deliver(channel);
			case PUSH -> user.devices().isEmpty() ? new ChannelDecision.Skip(channel, NO_DEVICE)
					: new ChannelDecision.Deliver(channel);
			case EMAIL -> isBlank(profile.email()) ? new ChannelDecision.Skip(channel, NO_EMAIL)
					: unlessSuppressed(channel, user);
			case SMS -> isBlank(profile.phone()) ? new ChannelDecision.Skip(channel, NO_PHONE)
					: unlessSuppressed(channel, user);
		};
	}

	private static ChannelDecision unlessSuppressed(Channel channel, UserState user) {
		return user.suppression(channel)
			.<ChannelDecision>map((suppression) -> new ChannelDecision.Skip(channel, suppression.reason().wireName()))
			.orElseGet(() -> new ChannelDecision.Deliver(channel));
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

}
