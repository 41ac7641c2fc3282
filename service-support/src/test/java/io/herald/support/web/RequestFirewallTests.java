package io.herald.support.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFirewallTests {

	private final RequestFirewall firewall = RequestFirewall.strict();

	@Test
	void acceptsEveryCanonicalPathOfTheApi() {
		for (String path : List.of("/", "/v1/events", "/v1/events:batch", "/v1/events/0b9c1f3e-7a1d-4b7e",
				"/v1/users/u-42", "/v1/users/alice@example.com/preferences", "/v1/users/a.b_c:d@e+f-g/devices",
				"/v1/users/u-1/devices/" + "0123456789abcdef".repeat(4), "/v1/users/u-1/devices/dGhpcyBp:APA91b-_x",
				"/v1/topics/order.shipped/subscribers/u-1", "/v1/inbox/unread-count", "/v1/ws", "/v1/sse",
				"/actuator/health/readiness", "/demo/inbox.html", "/v1/events/", "/v1/users/~tilde!$&'()*,=")) {
			assertThat(this.firewall.rejection(path, null)).as(path).isNull();
		}
	}

	@Test
	void acceptsReservedCharactersThatAClientEncoded() {
		for (String path : List.of("/v1/users/alice%40example.com", "/v1/users/a%3Ab%2Bc", "/v1/events/%7B%7D",
				"/v1/users/%C3%A9l%C3%A8ve", "/v1/users/with%20space")) {
			assertThat(this.firewall.rejection(path, null)).as(path).isNull();
		}
	}

	@Test
	void acceptsPercentEncodedQueryStrings() {
		for (String query : List.of("since=12", "before=40&limit=50", "access_token=eyJ.a-b_c.d", "q=%2F%2E%2E%3B%25",
				"q=%C3%A9+x", "a=&b", "q=tab%09")) {
			assertThat(this.firewall.rejection("/v1/inbox", query)).as(query).isNull();
		}
	}

	@Test
	void rejectsPathParameters() {
		for (String path : List.of("/v1;x=y/events", "/v1/events;jsessionid=1", "/v1/events/;", "/v1%3B/events",
				"/v1%3bx=y/events")) {
			assertThat(this.firewall.rejection(path, null)).as(path).contains("';'");
		}
	}

	@Test
	void rejectsCharactersEncodedThatNeedNoEncoding() {
		for (String path : List.of("/%761/events", "/v1/%65vents", "/V1/events%5F", "/v1/events%2Ebatch",
				"/v1/users/u%2D1", "/v1/users/%7E", "/v1/%30")) {
			assertThat(this.firewall.rejection(path, null)).as(path).contains("must be sent as is");
		}
	}

	@Test
	void rejectsEncodedSlashesBackslashesAndPercentSigns() {
		for (String path : List.of("/v1%2Fevents", "/v1%2fevents", "/v1%5Cevents", "/v1/events%255C", "/v1\\events",
				"/v1/%2e%2e/events")) {
			assertThat(this.firewall.rejection(path, null)).as(path).isNotNull();
		}
	}

	@Test
	void encodedSlashesMayBeAllowedInsideSegments() {
		RequestFirewall relaxed = this.firewall.allowingEncodedSlashes();
		String webPushToken = "https%3A%2F%2Fpush.example.com%2Fwpush%2Fv2%2FgAAAA";
		assertThat(relaxed.rejection("/v1/users/u-1/devices/" + webPushToken, null)).isNull();
		assertThat(relaxed.rejection("/v1%5Cevents", null)).isNotNull();
		assertThat(relaxed.rejection("/v1/%2E%2E/events", null)).isNotNull();
		assertThat(this.firewall.rejection("/v1/users/u-1/devices/" + webPushToken, null)).contains("encoded slash");
	}

	@Test
	void rejectsEmptyAndDotSegments() {
		for (String path : List.of("//v1/events", "/v1//events", "/./v1/events", "/v1/./events", "/x/../v1/events",
				"/v1/events/..", "/v1/events/.", "/..")) {
			assertThat(this.firewall.rejection(path, null)).as(path).containsAnyOf("'//'", "'..'");
		}
	}

	@Test
	void rejectsControlCharacters() {
		for (String path : List.of("/v1/events\u0000", "/v1/ev\tents", "/v1/events%00", "/v1/events%0D%0A",
				"/v1/events%7F", "/v1/events\u007F")) {
			assertThat(this.firewall.rejection(path, null)).as(path).contains("control characters");
		}
		assertThat(this.firewall.rejection("/v1/inbox", "q=%00")).contains("control characters");
		assertThat(this.firewall.rejection("/v1/inbox", "q=a%0Ab")).contains("control characters");
	}

	@Test
	void rejectsBytesThatAreNotUtf8() {
		for (String path : List.of("/v1/users/%FF", "/v1/users/%C3", "/v1/users/%C0%AF", "/v1/users/%ED%A0%80")) {
			assertThat(this.firewall.rejection(path, null)).as(path).contains("not UTF-8");
		}
		assertThat(this.firewall.rejection("/v1/inbox", "since=%FF")).contains("not UTF-8");
	}

	@Test
	void rejectsRawCharactersThatMustBeEncoded() {
		for (String path : List.of("/v1/users/\u00e9", "/v1/users/a b", "/v1/users/{x}", "/v1/users/a|b",
				"/v1/users/a\"b", "/v1/users/<x>", "/v1/users/a^b", "/v1/users/a`b", "/v1/users/a#b",
				"/v1/users/a[0]")) {
			assertThat(this.firewall.rejection(path, null)).as(path).contains("must be percent-encoded");
		}
		assertThat(this.firewall.rejection("/v1/inbox", "q=\u00e9")).contains("must be percent-encoded");
	}

	@Test
	void rejectsMalformedPercentEscapes() {
		for (String path : List.of("/v1/events%", "/v1/events%2", "/v1/events%zz", "/v1/%G0")) {
			assertThat(this.firewall.rejection(path, null)).as(path).contains("malformed percent escape");
		}
		assertThat(this.firewall.rejection("/v1/inbox", "limit=50%")).contains("malformed percent escape");
	}

	@Test
	void rejectsTargetsThatAreNoPath() {
		for (String path : List.of("", "*", "v1/events", "http://example.com/v1/events")) {
			assertThat(this.firewall.rejection(path, null)).as(path).isNotNull();
		}
	}

}
