package io.herald.routing.preference;

import io.herald.events.Channel;
import io.herald.events.Device;
import io.herald.events.EmailOptOut;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Profile;
import io.herald.events.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EmailOptOutTests {

	private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

	private static final int MAX_RULES = 100;

	@Test
	void aCategoryLosesEmailAndKeepsItsOtherChannels() {
		Preferences after = EmailOptOut.withoutEmail(Preferences.DEFAULT, "marketing.spring", MAX_RULES);

		assertThat(channels(after, "marketing.spring")).containsExactly(Channel.INAPP, Channel.PUSH, Channel.SMS);
		assertThat(channels(after, "marketing.autumn")).contains(Channel.EMAIL);
		assertThat(after.categories()).containsOnlyKeys("marketing.spring");
	}

	@Test
	void theRuleThatDecidedTheCategoryIsNarrowedNotReplaced() {
		Preferences before = preferences(
				Map.of("marketing.*", new CategoryRule(null, Set.of(Channel.EMAIL, Channel.PUSH))));

		Preferences after = EmailOptOut.withoutEmail(before, "marketing.spring", MAX_RULES);

		assertThat(channels(after, "marketing.spring")).containsExactly(Channel.PUSH);
		assertThat(channels(after, "marketing.autumn")).containsExactly(Channel.PUSH, Channel.EMAIL);
	}

	@Test
	void aCategoryWithEmailAsItsOnlyChannelIsTurnedOff() {
		Preferences before = preferences(Map.of("digest", new CategoryRule(true, Set.of(Channel.EMAIL))));

		Preferences after = EmailOptOut.withoutEmail(before, "digest", MAX_RULES);

		assertThat(after.categories()).containsEntry("digest", new CategoryRule(false, null));
		assertThat(channels(after, "digest")).isEmpty();
	}

	@Test
	void preferencesThatSendNoSuchEmailComeBackUnchanged() {
		List<Preferences> quiet = List.of(new Preferences(Map.of(Channel.EMAIL, false), Map.of(), null),
				preferences(Map.of("marketing.*", new CategoryRule(false, null))),
				preferences(Map.of("*", new CategoryRule(null, Set.of(Channel.PUSH)))));
		for (Preferences before : quiet) {
			assertThat(EmailOptOut.withoutEmail(before, "marketing.spring", MAX_RULES)).isSameAs(before);
		}
		Preferences once = EmailOptOut.withoutEmail(Preferences.DEFAULT, "marketing.spring", MAX_RULES);
		assertThat(EmailOptOut.withoutEmail(once, "marketing.spring", MAX_RULES)).isEqualTo(once);
	}

	@Test
	void allEmailSwitchesTheChannelOffAndKeepsEverythingElse() {
		Preferences before = new Preferences(Map.of(Channel.SMS, false),
				Map.of("order.*", new CategoryRule(null, Set.of(Channel.EMAIL))),
				new Preferences.QuietHours(java.time.LocalTime.of(22, 0), java.time.LocalTime.of(7, 0)));

		Preferences after = EmailOptOut.withoutEmail(before);

		assertThat(after.channels()).containsEntry(Channel.EMAIL, false).containsEntry(Channel.SMS, false);
		assertThat(after.categories()).isEqualTo(before.categories());
		assertThat(after.quietHours()).isEqualTo(before.quietHours());
		assertThat(EmailOptOut.withoutEmail(after)).isSameAs(after);
	}

	@Test
	void aUserAtTheRuleLimitLosesAllEmailRatherThanGetMoreRules() {
		Map<String, CategoryRule> full = new LinkedHashMap<>();
		for (int i = 0; i < MAX_RULES; i++) {
			full.put("kind-" + i, new CategoryRule(true, null));
		}
		Preferences before = preferences(full);

		Preferences after = EmailOptOut.withoutEmail(before, "marketing.spring", MAX_RULES);

		assertThat(after.categories()).hasSize(MAX_RULES);
		assertThat(after.channels()).containsEntry(Channel.EMAIL, false);
		assertThat(channels(EmailOptOut.withoutEmail(before, "kind-3", MAX_RULES), "kind-3"))
			.doesNotContain(Channel.EMAIL);
	}

	/** The channels routing would deliver the category on, to a user reachable on all. */
	private static List<Channel> channels(Preferences preferences, String category) {
		UserState user = new UserState(1, "acme", "u-1", new Profile("ada@example.com", "+4915112345678", null, null),
				preferences, List.of(new Device(Device.Platform.IOS, "a".repeat(64), null, NOW)), Set.of(), NOW);
		return new ChannelPreferences().decide(category, Set.of(), user)
			.stream()
			.filter(ChannelDecision.Deliver.class::isInstance)
			.map(ChannelDecision::channel)
			.toList();
	}

	private static Preferences preferences(Map<String, CategoryRule> categories) {
		return new Preferences(Map.of(), categories, null);
	}

}
