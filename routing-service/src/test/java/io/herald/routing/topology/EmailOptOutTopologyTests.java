package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.HeaderNames;
import io.herald.events.Preferences;
import io.herald.events.Preferences.CategoryRule;
import io.herald.events.Preferences.QuietHours;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.events.UserState;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static io.herald.routing.topology.TestEvents.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code opt-out-email} command of unsubscribe links (docs/adr/035): folded into the
 * preferences as they are when its turn comes, and never creating a user.
 */
class EmailOptOutTopologyTests {

	private static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

	private static final String CATEGORY = "marketing.spring";

	@AutoClose
	private final RoutingDriver routing = new RoutingDriver(NOON).reachableUser("u-1");

	@Test
	void shouldApplyAnOptOutToThePreferencesWrittenAfterTheLinkWasChecked() {
		// The link was checked against the defaults; the user's own write lands before
		// the opt-out's turn and is kept.
		Preferences own = new Preferences(Map.of(Channel.SMS, false), Map.of("order.*", new CategoryRule(false, null)),
				new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0)));
		this.routing.preferences("u-1", own);
		optOut("u-1", CATEGORY);

		Preferences after = state("u-1").preferences();
		assertThat(after.channels()).isEqualTo(own.channels());
		assertThat(after.quietHours()).isEqualTo(own.quietHours());
		assertThat(after.categories()).containsEntry("order.*", new CategoryRule(false, null))
			.containsEntry(CATEGORY, new CategoryRule(null, Set.of(Channel.INAPP, Channel.PUSH, Channel.SMS)))
			.hasSize(2);
		assertThat(state("u-1").updatedAt()).isEqualTo(NOON);
	}

	@Test
	void shouldTurnOffAllEmailOnceAndChangeNothingMoreTheSecondTime() {
		optOut("u-1", CATEGORY);
		optOut("u-1", null);
		Preferences once = state("u-1").preferences();
		optOut("u-1", null);

		assertThat(once.channels()).containsEntry(Channel.EMAIL, false);
		assertThat(once.categories()).containsOnlyKeys(CATEGORY);
		assertThat(state("u-1").preferences()).isEqualTo(once);
	}

	@Test
	void shouldHoldAnOptOutToTheCategoryRuleLimit() {
		Map<String, CategoryRule> full = new LinkedHashMap<>();
		for (int i = 0; i < Preferences.MAX_CATEGORY_RULES; i++) {
			full.put("kind-" + i, new CategoryRule(true, null));
		}
		this.routing.preferences("u-1", new Preferences(Map.of(), full, null));
		optOut("u-1", CATEGORY);

		Preferences after = state("u-1").preferences();
		assertThat(after.categories()).hasSize(Preferences.MAX_CATEGORY_RULES).doesNotContainKey(CATEGORY);
		assertThat(after.channels()).containsEntry(Channel.EMAIL, false);
	}

	@Test
	void shouldNeverCreateNorBringBackAUser() {
		optOut("u-9", CATEGORY);
		this.routing.command(new UserCommand.EraseUser(1, TENANT, "u-1", NOON));
		optOut("u-1", CATEGORY);
		optOut("u-1", null);

		assertThat(users().get("acme|u-9")).isNull();
		assertThat(users().get("acme|u-1")).isNull();
		assertThat(this.routing.deadLetters(Topics.USER_COMMANDS.name())).isEmpty();
	}

	@Test
	void shouldDeadLetterMalformedOptOutsAndKeepFolding() {
		String at = "\"at\":\"2026-03-10T12:00:00Z\"";
		raw("{\"command\":\"opt-out-email\",\"schemaVersion\":2,\"tenant\":\"acme\"," + at + "}");
		raw("{\"command\":\"opt-out-email\",\"schemaVersion\":3,\"tenant\":\"acme\",\"userId\":\"u-1\"," + at + "}");
		raw("{\"command\":\"opt-out-email\",\"schemaVersion\":2,\"tenant\":\"acme\",\"userId\":\"u-1\"," + at
				+ ",\"category\":{\"all\":true}}");
		optOut("u-1", CATEGORY);

		assertThat(this.routing.deadLetters(Topics.USER_COMMANDS.name()))
			.extracting((record) -> HeaderNames.lastValue(record.headers(), HeaderNames.DLT_REASON))
			.containsExactly("invalid_record", "unsupported_schema_version", "invalid_record");
		assertThat(state("u-1").preferences().categories()).containsOnlyKeys(CATEGORY);
		assertThat(state("u-1").preferences().channels()).isEmpty();
	}

	private void optOut(String userId, @Nullable String category) {
		this.routing.command(
				new UserCommand.OptOutEmail(UserCommand.CONDITIONAL_SCHEMA_VERSION, TENANT, userId, NOON, category));
	}

	private void raw(String json) {
		this.routing.raw(Topics.USER_COMMANDS.name(), "acme|u-1", json.getBytes(StandardCharsets.UTF_8));
	}

	private UserState state(String userId) {
		UserState state = users().get("acme|" + userId);
		assertThat(state).isNotNull();
		return state;
	}

	private KeyValueStore<String, UserState> users() {
		return this.routing.driver.getKeyValueStore(RoutingStores.USER_STATE);
	}

}
