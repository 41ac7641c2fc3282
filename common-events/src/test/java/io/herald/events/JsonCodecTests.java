package io.herald.events;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonCodecTests {

	private final JsonCodec<EventAccepted> events = Topics.EVENTS.codec();

	private final JsonCodec<StatusReported> statuses = Topics.STATUS.codec();

	@ParameterizedTest
	@ValueSource(strings = { "event-accepted-users-content.json", "event-accepted-topic-template.json",
			"event-accepted-all.json" })
	void eventAcceptedRoundTripsItsGoldenFile(String file) {
		assertRoundTrip(this.events, file);
	}

	@ParameterizedTest
	@ValueSource(strings = { "status-reported-sent.json", "status-reported-deferred.json",
			"status-reported-delivered-batch.json", "status-reported-cancelled.json" })
	void statusReportedRoundTripsItsGoldenFile(String file) {
		assertRoundTrip(this.statuses, file);
	}

	@ParameterizedTest
	@ValueSource(strings = { "user-command-register-device.json", "user-command-replace-preferences.json",
			"user-command-erase-user.json", "user-command-merge-profile.json", "user-command-suppress-address.json",
			"user-command-suppress-address-evidence.json", "user-command-lift-suppression.json",
			"user-command-opt-out-email.json", "user-command-opt-out-all-email.json",
			"user-command-replace-preferences-digest.json" })
	void userCommandRoundTripsItsGoldenFile(String file) {
		assertRoundTrip(Topics.USER_COMMANDS.codec(), file);
	}

	@ParameterizedTest
	@ValueSource(strings = { "user-state.json", "user-state-verdicts.json", "user-state-suppressions.json" })
	void userStateRoundTripsItsGoldenFile(String file) {
		assertRoundTrip(new JsonCodec<>(UserState.class, UserState.SCHEMA_VERSION), file);
	}

	@ParameterizedTest
	@ValueSource(strings = { "deliver-notification-email.json", "deliver-notification-push.json",
			"deliver-notification-email-digest.json" })
	void deliverNotificationRoundTripsItsGoldenFile(String file) {
		assertRoundTrip(Topics.deliver(Channel.EMAIL, Lane.PRIORITY).codec(), file);
	}

	@Test
	void eventCancelledRoundTripsItsGoldenFileAndIsToldFromAnEventByItsType() {
		assertRoundTrip(EventCancelled.CODEC, "event-cancelled.json");
		RecordHeaders headers = new RecordHeaders();
		HeaderNames.addCloudEvent(headers, "evt-1", EventCancelled.CLOUD_EVENT_TYPE, "/herald/ingestion",
				Instant.parse("2026-11-22T18:05:00Z"), null);
		var serde = EventLogRecord.serde(Topics.EVENTS.codec());
		assertThat(serde.deserializer().deserialize(Topics.EVENTS.name(), headers, golden("event-cancelled.json")))
			.isInstanceOfSatisfying(EventLogRecord.Cancelled.class,
					(cancelled) -> assertThat(cancelled.cancellation().retractsInApp()).isTrue());
		assertThat(serde.deserializer()
			.deserialize(Topics.EVENTS.name(), new RecordHeaders(), golden("event-accepted-all.json")))
			.isInstanceOf(EventLogRecord.Accepted.class);
	}

	@Test
	void digestSettingRoundTripsItsGoldenFileAndIsKeyedByTenantAndPattern() {
		assertRoundTrip(Topics.DIGEST_SETTINGS.codec(), "digest-setting.json");
		DigestSetting setting = Topics.DIGEST_SETTINGS.codec().decode(golden("digest-setting.json"));
		assertThat(setting.key()).isEqualTo("acme|marketing.*");
		assertThat(setting.digestWindow()).isEqualTo(new DigestWindow.Every(java.time.Duration.ofHours(1)));
		assertThat(setting.templateOrDefault()).isEqualTo(DigestSetting.DEFAULT_TEMPLATE);
	}

	@Test
	void preferencesWithADigestChoiceAreWrittenAsAVersionThatOlderReleasesRefuse() {
		Preferences plain = new Preferences(Map.of(), Map.of("order.*", new Preferences.CategoryRule(false, null)),
				null);
		Preferences digested = new Preferences(Map.of(),
				Map.of("order.*", new Preferences.CategoryRule(null, null, "off")), null);
		assertThat(UserCommand.ReplacePreferences.of("acme", "u-1", Instant.EPOCH, plain).schemaVersion())
			.isEqualTo(UserCommand.SCHEMA_VERSION);
		UserCommand.ReplacePreferences command = UserCommand.ReplacePreferences.of("acme", "u-1", Instant.EPOCH,
				digested);
		assertThat(command.schemaVersion()).isEqualTo(UserCommand.CONDITIONAL_SCHEMA_VERSION);
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> new JsonCodec<>(UserCommand.class, UserCommand.SCHEMA_VERSION)
				.decode(Topics.USER_COMMANDS.codec().encode(command)));
		Preferences.CategoryRule rule = Topics.USER_COMMANDS.codec()
			.decode(golden(
					"user-command-replace-preferences-digest.json")) instanceof UserCommand.ReplacePreferences replace
							? replace.preferences().ruleFor("marketing.news") : null;
		assertThat(rule).isNotNull();
		assertThat(rule.digestChoice())
			.isEqualTo(new DigestChoice.Digest(new DigestWindow.DailyAt(java.time.LocalTime.of(9, 0))));
	}

	@Test
	void retractNotificationRoundTripsItsGoldenFile() {
		assertRoundTrip(RetractNotification.CODEC, "retract-notification-batch.json");
		assertThat(RetractNotification.CODEC.decode(golden("retract-notification-batch.json")).users())
			.containsExactly("u-42", "u-43", "u-44");
	}

	@Test
	void inAppBatchRoundTripsItsGoldenFile() {
		assertRoundTrip(Topics.deliver(Channel.INAPP, Lane.BULK).codec(), "deliver-notification-inapp-batch.json");
	}

	@Test
	void aCountedBatchAndItsCountRoundTripTheirGoldenFiles() {
		assertRoundTrip(Topics.deliver(Channel.INAPP, Lane.BULK).codec(),
				"deliver-notification-inapp-counted-batch.json");
		assertRoundTrip(Topics.STATUS.codec(), "status-reported-queued-count.json");
		assertThat(Topics.STATUS.codec().decode(golden("status-reported-queued-count.json")).isCount()).isTrue();
	}

	@Test
	void callWebhookRoundTripsItsGoldenFileAndIsKeyedByTenantAndEndpoint() {
		assertRoundTrip(Topics.WEBHOOKS.codec(), "call-webhook.json");
		CallWebhook call = Topics.WEBHOOKS.codec().decode(golden("call-webhook.json"));
		assertThat(call.key()).isEqualTo("acme|ep_3f1c9a2b7d4e4f60");
		assertThat(call.nextAttempt().attempt()).isEqualTo(3);
		assertThat(call.nextAttempt().webhookId()).isEqualTo(call.webhookId());
	}

	@Test
	void templateDefinedRoundTripsItsGoldenFile() {
		assertRoundTrip(Topics.TEMPLATES.codec(), "template-defined.json");
	}

	@Test
	void aTenantTemplateRoundTripsItsGoldenFileAndIsKeyedByItsTenant() {
		assertRoundTrip(Topics.TEMPLATES.codec(), "template-defined-tenant.json");
		TemplateDefined template = Topics.TEMPLATES.codec().decode(golden("template-defined-tenant.json"));
		assertThat(template.key()).isEqualTo("acme|order-shipped");
		assertThat(template.texts()).containsOnlyKeys("de", "default");
		assertThat(template.texts().get("default").channels().get(Channel.SMS).body())
			.isEqualTo("Order {{orderId}} shipped");
		assertThat(Topics.TEMPLATES.codec().decode(golden("template-defined.json")).key()).isEqualTo("order-shipped");
	}

	@Test
	void aTenantTemplateOfTheLatestVersionRendersEveryChannel() {
		TemplateDefined template = TemplateDefined.ofTenant("acme", "welcome", 1, Instant.EPOCH,
				Map.of("default", new TemplateTexts("t", "b", null, Map.of())));
		assertThat(template.locales()).containsExactly("default");
		assertThat(template.channels()).containsExactly(Channel.values());
	}

	@Test
	void rejectsATemplateDefinitionWithATenantButNoTexts() {
		String json = new String(golden("template-defined-tenant.json"), StandardCharsets.UTF_8)
			.replaceAll("(?s)\"texts\".*", "\"x\": 1 }");
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> Topics.TEMPLATES.codec().decode(json.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD));
	}

	@ParameterizedTest
	@ValueSource(strings = { "template-command-put.json", "template-command-delete.json" })
	void templateCommandRoundTripsItsGoldenFile(String file) {
		assertRoundTrip(Topics.TEMPLATE_COMMANDS.codec(), file);
	}

	@Test
	void templateCommandNamesItsKindAndIsKeyedByItsTenant() {
		TemplateCommand command = Topics.TEMPLATE_COMMANDS.codec().decode(golden("template-command-put.json"));
		assertThat(command).isInstanceOf(TemplateCommand.PutTemplate.class);
		assertThat(command.key()).isEqualTo("acme");
		TemplateCommand.Condition condition = command.condition();
		assertThat(condition.holdsFor(2L)).isTrue();
		assertThat(condition.holdsFor(3L)).isFalse();
		assertThat(condition.holdsFor(null)).isFalse();
		assertThat(new TemplateCommand.Condition(false, Set.of()).holdsFor(null)).isTrue();
		assertThat(new TemplateCommand.Condition(true, Set.of()).holdsFor(7L)).isTrue();
	}

	@Test
	void aTemplatedEventCarriesTheCatalogOffsetItWasCheckedAgainst() {
		EventAccepted event = this.events.decode(golden("event-accepted-topic-template.json"));
		assertThat(event.catalogOffset()).isEqualTo(42L);
		assertThat(event.withRecipients(new Recipients.Users(List.of("u-1"))).catalogOffset()).isEqualTo(42L);
		assertThat(this.events.decode(golden("event-accepted-all.json")).catalogOffset()).isNull();
	}

	@Test
	void templateDefinedKeepsLocalesSortedAndChannelsInChannelOrder() {
		TemplateDefined template = TemplateDefined.of("welcome", List.of("default", "de"),
				Set.of(Channel.SMS, Channel.INAPP));
		assertThat(template.locales()).containsExactly("de", "default");
		assertThat(template.channels()).containsExactly(Channel.INAPP, Channel.SMS);
	}

	@Test
	void rejectsATemplateDefinitionWithAnInvalidId() {
		String json = new String(golden("template-defined.json"), StandardCharsets.UTF_8).replace("\"order-shipped\"",
				"\"../etc\"");
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> Topics.TEMPLATES.codec().decode(json.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD));
	}

	@Test
	void userCommandNamesItsKind() {
		UserCommand command = Topics.USER_COMMANDS.codec().decode(golden("user-command-register-device.json"));
		assertThat(command).isInstanceOf(UserCommand.RegisterDevice.class);
		assertThat(command.key()).isEqualTo("acme|u-42");
		assertThat(((UserCommand.RegisterDevice) command).device().label()).isEqualTo("ios:1a2b3c4d5e6f7081");
	}

	@Test
	void rejectsASuppressionOfAChannelWithoutAddressesOrReason() {
		String json = new String(golden("user-command-suppress-address.json"), StandardCharsets.UTF_8);
		for (String broken : List.of(json.replace("\"email\"", "\"push\""),
				json.replace("\"bad_address\"", "\"bored\""), json.replace("\"address\"", "\"addressed\""))) {
			assertThatExceptionOfType(RecordDecodingException.class)
				.isThrownBy(() -> Topics.USER_COMMANDS.codec().decode(broken.getBytes(StandardCharsets.UTF_8)))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD));
		}
	}

	@Test
	void rejectsASuppressionWhoseEvidenceIsNoTime() {
		String json = new String(golden("user-command-suppress-address-evidence.json"), StandardCharsets.UTF_8);
		for (String broken : List.of(json.replace("\"2026-11-22T10:00:00Z\"", "\"yesterday\""),
				json.replace("\"2026-11-22T10:00:00Z\"", "[1, 2]"),
				json.replace("\"2026-11-22T10:00:00Z\"", "\"" + "9".repeat(10_000) + "\""))) {
			assertThatExceptionOfType(RecordDecodingException.class)
				.isThrownBy(() -> Topics.USER_COMMANDS.codec().decode(broken.getBytes(StandardCharsets.UTF_8)))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD));
		}
	}

	@Test
	void aSuppressionCarriesTheTimeOfItsEvidenceAndAReaderOfVersionOneRefusesIt() {
		UserCommand.SuppressAddress suppress = (UserCommand.SuppressAddress) Topics.USER_COMMANDS.codec()
			.decode(golden("user-command-suppress-address-evidence.json"));
		assertThat(suppress.evidence()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
		UserCommand.SuppressAddress withoutEvidence = (UserCommand.SuppressAddress) Topics.USER_COMMANDS.codec()
			.decode(golden("user-command-suppress-address.json"));
		assertThat(withoutEvidence.evidenceAt()).isNull();
		assertThat(withoutEvidence.evidence()).isEqualTo(withoutEvidence.at());
		JsonCodec<UserCommand> versionOne = new JsonCodec<>(UserCommand.class, UserCommand.SCHEMA_VERSION);
		assertThat(versionOne.decode(golden("user-command-suppress-address.json"))).isEqualTo(withoutEvidence);
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> versionOne.decode(golden("user-command-suppress-address-evidence.json")))
			.satisfies((ex) -> assertThat(ex.reason())
				.isEqualTo(RecordDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION));
	}

	@Test
	void anEmailOptOutNeverCreatesAUserAndAReaderOfVersionOneRefusesIt() {
		UserCommand.OptOutEmail optOut = (UserCommand.OptOutEmail) Topics.USER_COMMANDS.codec()
			.decode(golden("user-command-opt-out-email.json"));
		assertThat(optOut.category()).isEqualTo("marketing.spring-sale");
		assertThat(optOut.createsUser()).isFalse();
		JsonCodec<UserCommand> versionOne = new JsonCodec<>(UserCommand.class, UserCommand.SCHEMA_VERSION);
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> versionOne.decode(golden("user-command-opt-out-all-email.json")))
			.satisfies((ex) -> assertThat(ex.reason())
				.isEqualTo(RecordDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION));
	}

	@Test
	void rejectsAnUnknownUserCommand() {
		assertThatExceptionOfType(RecordDecodingException.class).isThrownBy(() -> Topics.USER_COMMANDS.codec()
			.decode("{\"command\":\"launch-rocket\",\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void decodesEveryPartOfAnEvent() {
		EventAccepted event = this.events.decode(golden("event-accepted-users-content.json"));
		assertThat(event.recipients()).isEqualTo(new Recipients.Users(List.of("u-42", "u-43")));
		assertThat(event.priority()).isEqualTo(Priority.HIGH);
		assertThat(event.channels()).containsExactly(Channel.INAPP);
		assertThat(event.content().bodyFor(Channel.SMS)).isEqualTo("Order 981 shipped");
		assertThat(event.content().bodyFor(Channel.PUSH)).isEqualTo("Order 981 is on its way");
		assertThat(event.data().get("total")).isEqualTo(new BigDecimal("12.50"));
		assertThat(event.acceptedAt()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
		assertThat(this.events.decode(golden("event-accepted-topic-template.json")).recipients())
			.isEqualTo(new Recipients.Topic("weekly-digest"));
		assertThat(this.events.decode(golden("event-accepted-all.json")).recipients())
			.isEqualTo(new Recipients.AllUsers(true));
	}

	@Test
	void ignoresUnknownFields() {
		String json = new String(golden("status-reported-sent.json"), StandardCharsets.UTF_8).replace("\"tenant\"",
				"\"addedLater\": {\"x\": 1}, \"tenant\"");
		assertThat(this.statuses.decode(json.getBytes(StandardCharsets.UTF_8)).providerId()).isEqualTo("apns-7f3e");
	}

	@Test
	void rejectsAnUnknownSchemaVersionWithATypedFailure() {
		String json = new String(golden("status-reported-sent.json"), StandardCharsets.UTF_8)
			.replace("\"schemaVersion\": 1", "\"schemaVersion\": 3");
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> this.statuses.decode(json.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason())
				.isEqualTo(RecordDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION));
	}

	@Test
	void rejectsARecordWithoutSchemaVersion() {
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> this.statuses.decode("{\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason())
				.isEqualTo(RecordDecodingException.Reason.UNSUPPORTED_SCHEMA_VERSION));
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "[1,2]", "\"text\"", "{\"schemaVersion\":1", "{} trailing", "" })
	void rejectsBytesThatAreNotAJsonObject(String payload) {
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> this.events.decode(payload.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.MALFORMED_JSON));
	}

	@Test
	void rejectsAnEventWithBothContentAndTemplate() {
		String json = new String(golden("event-accepted-all.json"), StandardCharsets.UTF_8).replace("\"data\": {}",
				"\"data\": {}, \"template\": \"t\"");
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> this.events.decode(json.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD))
			.withMessageContaining("exactly one of content and template");
	}

	@Test
	void rejectsAnEventWithoutTenant() {
		String json = new String(golden("event-accepted-all.json"), StandardCharsets.UTF_8)
			.replace("\"tenant\": \"acme\",", "");
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> this.events.decode(json.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD))
			.withMessageContaining("tenant");
	}

	@Test
	void rejectsAnUnknownChannel() {
		String json = new String(golden("event-accepted-users-content.json"), StandardCharsets.UTF_8)
			.replace("\"channels\": [\"inapp\"]", "\"channels\": [\"pigeon\"]");
		assertThatExceptionOfType(RecordDecodingException.class)
			.isThrownBy(() -> this.events.decode(json.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(RecordDecodingException.Reason.INVALID_RECORD));
	}

	@Test
	void decodesATombstoneToNull() {
		assertThat(this.events.decode(null)).isNull();
		assertThat(this.events.serde().deserializer().deserialize("t", null)).isNull();
	}

	@Test
	void serdeRoundTripsARecord() {
		EventAccepted event = new EventAccepted(EventAccepted.SCHEMA_VERSION, "acme", "e1", Instant.EPOCH, "a.b",
				new Recipients.Users(List.of("u1")), null, null, Set.of(Channel.EMAIL, Channel.PUSH),
				new Content("t", "b", null), null, Map.of("k", "v"), null, null);
		var serde = this.events.serde();
		byte[] bytes = serde.serializer().serialize("herald.events", event);
		assertThat(serde.deserializer().deserialize("herald.events", bytes)).isEqualTo(event);
		assertThat(event.priority()).isEqualTo(Priority.NORMAL);
	}

	private static <T extends Versioned> void assertRoundTrip(JsonCodec<T> codec, String file) {
		byte[] original = golden(file);
		T decoded = codec.decode(original);
		JsonNode expected = JsonCodec.MAPPER.readTree(original);
		JsonNode actual = JsonCodec.MAPPER.readTree(codec.encode(decoded));
		assertThat(actual).isEqualTo(expected);
		assertThat(codec.decode(codec.encode(decoded))).isEqualTo(decoded);
	}

	static byte[] golden(String file) {
		try (InputStream in = JsonCodecTests.class.getResourceAsStream("/golden/" + file)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void textWithAnUnpairedSurrogateIsNotWellFormed() {
		assertThat(JsonCodec.isWellFormed("ship\uD83D\uDCE6ped")).isTrue();
		assertThat(JsonCodec.isWellFormed("ship\uD800ped")).isFalse();
		assertThat(JsonCodec.isWellFormed("ship\uDC00")).isFalse();
		assertThat(JsonCodec.isWellFormed("\uD800")).isFalse();
	}

}
