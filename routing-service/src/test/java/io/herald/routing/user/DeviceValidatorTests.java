package io.herald.routing.user;

import io.herald.events.Device.Platform;
import io.herald.events.JsonCodec;
import io.herald.support.web.FieldProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceValidatorTests {

	static final String APNS_TOKEN = "a1b2c3d4".repeat(8);

	static final String FCM_TOKEN = "dGVzdC10b2tlbg:APA91b" + "Hk_-x9".repeat(25);

	static final String WEB_TOKEN = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABh-x_y";

	@Test
	void acceptsADeviceOfEachPlatform() {
		assertThat(valid("{\"platform\": \"ios\", \"token\": \"" + APNS_TOKEN + "\", \"appId\": \"com.example.app\"}"))
			.isEqualTo(new DeviceRegistration(Platform.IOS, APNS_TOKEN, "com.example.app"));
		assertThat(valid("{\"platform\": \"android\", \"token\": \"" + FCM_TOKEN + "\"}"))
			.isEqualTo(new DeviceRegistration(Platform.ANDROID, FCM_TOKEN, null));
		assertThat(valid("{\"platform\": \"web\", \"token\": \"" + WEB_TOKEN + "\", \"appId\": null, \"x\": 1}"))
			.isEqualTo(new DeviceRegistration(Platform.WEB, WEB_TOKEN, null));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';', textBlock = """
			not an object ; [] ; ''
			missing platform ; {"token": "abc"} ; platform
			unknown platform ; {"platform": "blackberry", "token": "abc"} ; platform
			platform in capitals ; {"platform": "IOS", "token": "abc"} ; platform
			platform not a string ; {"platform": 1, "token": "abc"} ; platform
			missing token ; {"platform": "ios"} ; token
			token not a string ; {"platform": "ios", "token": 5} ; token
			empty token ; {"platform": "ios", "token": ""} ; token
			ios token not hex ; {"platform": "ios", "token": "%s"} ; token
			android token too short ; {"platform": "android", "token": "abc:def"} ; token
			web token over http ; {"platform": "web", "token": "http://push.example.com/x"} ; token
			appId with a space ; {"platform": "ios", "token": "%2$s", "appId": "com.example app"} ; appId
			appId not a string ; {"platform": "ios", "token": "%2$s", "appId": 7} ; appId
			appId empty ; {"platform": "ios", "token": "%2$s", "appId": ""} ; appId
			""")
	void rejects(String rule, String json, String field) {
		String body = json.formatted("z".repeat(64), APNS_TOKEN);
		assertThat(problems(body)).extracting(FieldProblem::field).containsExactly(field);
	}

	@Test
	void namesEveryOffendingFieldAtOnce() {
		assertThat(problems("{\"platform\": \"pager\", \"appId\": \"a/b\"}")).extracting(FieldProblem::field)
			.containsExactly("platform", "token", "appId");
	}

	@Test
	void apnsTokensAre64To200HexDigits() {
		assertThat(DeviceValidator.isToken(Platform.IOS, "0".repeat(64))).isTrue();
		assertThat(DeviceValidator.isToken(Platform.IOS, "ABCDEF0123".repeat(20))).isTrue();
		assertThat(DeviceValidator.isToken(Platform.IOS, "0".repeat(63))).isFalse();
		assertThat(DeviceValidator.isToken(Platform.IOS, "0".repeat(201))).isFalse();
		assertThat(DeviceValidator.isToken(Platform.IOS, "g".repeat(64))).isFalse();
		assertThat(DeviceValidator.isToken(Platform.IOS, "<" + "0".repeat(64) + ">")).isFalse();
	}

	@Test
	void fcmTokensAre100To4096TokenCharacters() {
		assertThat(DeviceValidator.isToken(Platform.ANDROID, FCM_TOKEN)).isTrue();
		assertThat(DeviceValidator.isToken(Platform.ANDROID, "a".repeat(100))).isTrue();
		assertThat(DeviceValidator.isToken(Platform.ANDROID, "a".repeat(4096))).isTrue();
		assertThat(DeviceValidator.isToken(Platform.ANDROID, "a".repeat(99))).isFalse();
		assertThat(DeviceValidator.isToken(Platform.ANDROID, "a".repeat(4097))).isFalse();
		assertThat(DeviceValidator.isToken(Platform.ANDROID, "a".repeat(99) + "/")).isFalse();
		assertThat(DeviceValidator.isToken(Platform.ANDROID, "a".repeat(99) + " ")).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { WEB_TOKEN, "https://fcm.googleapis.com/fcm/send/abc:def",
			"https://push.example.com:8443/p?x=1" })
	void acceptsWebPushEndpoints(String endpoint) {
		assertThat(DeviceValidator.isToken(Platform.WEB, endpoint)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://push.example.com/x", "push.example.com/x", "https://", "https:///path",
			"https://push.example.com/a b", "https://user:pw@push.example.com/x", "HTTPS://push.example.com/x",
			"javascript:alert(1)" })
	void rejectsWhatIsNotAWebPushEndpoint(String endpoint) {
		assertThat(DeviceValidator.isToken(Platform.WEB, endpoint)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://push.example.com/a\ud800", "https://push.example.com/\udc00x?y=1" })
	void rejectsWebPushEndpointsWithAnUnpairedSurrogate(String endpoint) {
		assertThat(DeviceValidator.isToken(Platform.WEB, endpoint)).isFalse();
	}

	@Test
	void limitsWebPushEndpointsTo2048Characters() {
		String prefix = "https://push.example.com/";
		assertThat(DeviceValidator.isToken(Platform.WEB, prefix + "a".repeat(2048 - prefix.length()))).isTrue();
		assertThat(DeviceValidator.isToken(Platform.WEB, prefix + "a".repeat(2049 - prefix.length()))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "com.example.app", "a", "web-app_2", "1234567890" })
	void acceptsAppIds(String appId) {
		assertThat(DeviceValidator.isAppId(appId)).isTrue();
		assertThat(DeviceValidator.isAppId("a".repeat(255))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "com example", "com/example", "com|example", "{app}", "ä" })
	void rejectsWhatIsNotAnAppId(String appId) {
		assertThat(DeviceValidator.isAppId(appId)).isFalse();
		assertThat(DeviceValidator.isAppId("a".repeat(256))).isFalse();
	}

	private static DeviceRegistration valid(String json) {
		Validated<DeviceRegistration> result = DeviceValidator.validate(JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(Validated.Valid.class);
		return result.orElseReject();
	}

	private static List<FieldProblem> problems(String json) {
		Validated<DeviceRegistration> result = DeviceValidator.validate(JsonCodec.MAPPER.readTree(json));
		assertThat(result).isInstanceOf(Validated.Invalid.class);
		return ((Validated.Invalid<DeviceRegistration>) result).problems();
	}

}
