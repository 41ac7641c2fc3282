package io.herald.routing.user;

import io.herald.events.Channel;
import io.herald.events.Device;
import io.herald.events.JsonCodec;
import io.herald.events.Preferences;
import io.herald.events.Profile;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RepresentationsTests {

	@Test
	void preferencesAreAnsweredInTheShapeTheyWereSent() {
		String json = """
				{"channels": {"email": true, "sms": false},
				 "categories": {"marketing.*": {"enabled": false}, "order.*": {"channels": ["push", "inapp"]}},
				 "quietHours": {"start": "22:00", "end": "07:00"}}""";
		Preferences preferences = PreferencesValidator.validate(JsonCodec.MAPPER.readTree(json)).orElseReject();
		assertThat(json(Representations.PreferencesBody.of(preferences))).isEqualTo(JsonCodec.MAPPER.readTree("""
				{"channels": {"email": true, "sms": false},
				 "categories": {"marketing.*": {"enabled": false}, "order.*": {"channels": ["inapp", "push"]}},
				 "quietHours": {"start": "22:00", "end": "07:00"}}"""));
	}

	@Test
	void defaultPreferencesAreEmptyObjectsWithoutQuietHours() {
		assertThat(json(Representations.PreferencesBody.of(Preferences.DEFAULT)))
			.isEqualTo(JsonCodec.MAPPER.readTree("{\"channels\": {}, \"categories\": {}}"));
	}

	@Test
	void channelsAreListedInChannelOrder() {
		Preferences preferences = new Preferences(Map.of(Channel.SMS, false, Channel.INAPP, true, Channel.PUSH, true),
				Map.of(), new Preferences.QuietHours(LocalTime.of(7, 5), LocalTime.of(8, 0)));
		Representations.PreferencesBody body = Representations.PreferencesBody.of(preferences);
		assertThat(body.channels().keySet()).containsExactly("inapp", "push", "sms");
		assertThat(body.quietHours()).isEqualTo(new Representations.QuietHoursBody("07:05", "08:00"));
	}

	@Test
	void absentProfileFieldsAreLeftOut() {
		assertThat(json(Representations.ProfileBody.of(new Profile(null, "+4915112345678", null, "UTC"))))
			.isEqualTo(JsonCodec.MAPPER.readTree("{\"phone\": \"+4915112345678\", \"timezone\": \"UTC\"}"));
	}

	private static JsonNode json(Object value) {
		return JsonCodec.MAPPER.valueToTree(value);
	}

	@Test
	void devicesNameTheirPlatformByWireName() {
		Device device = new Device(Device.Platform.ANDROID, "t", null, Instant.parse("2026-11-22T12:00:00Z"));
		assertThat(json(Representations.DevicesBody.of(List.of(device)))).isEqualTo(JsonCodec.MAPPER.readTree("""
				{"devices": [{"platform": "android", "token": "t", "registeredAt": "2026-11-22T12:00:00Z"}]}"""));
	}

}
