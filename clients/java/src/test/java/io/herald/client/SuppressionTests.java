package io.herald.client;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The suppression calls' wire format, against a real local HTTP server: paths, bodies,
 * answers read into records, and what the client refuses before sending. Against the real
 * routing: system-tests' {@code JavaClientIntegrationTests}.
 */
class SuppressionTests {

	private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50),
			Duration.ofSeconds(2));

	@Test
	void suppressionsAreReadIntoRecordsAndAReasonOfANewerHeraldIsOther() {
		try (LocalHttpServer herald = new LocalHttpServer((request) -> LocalHttpServer.Reply.json(200, """
				{"suppressions": [
				  {"channel": "email", "address": "ada@bounce.invalid", "reason": "bad_address",
				   "since": "2026-11-20T10:00:00Z", "notificationId": "n-1"},
				  {"channel": "sms", "address": "+4915112345678", "reason": "carrier_blocked",
				   "since": "2026-11-21T10:00:00Z", "extra": true}]}"""))) {
			assertThat(client(herald.url()).users().suppressions("u-1")).containsExactly(
					new Suppression(Channel.EMAIL, "ada@bounce.invalid", SuppressionReason.BAD_ADDRESS, "bad_address",
							Instant.parse("2026-11-20T10:00:00Z"), "n-1"),
					new Suppression(Channel.SMS, "+4915112345678", SuppressionReason.OTHER, "carrier_blocked",
							Instant.parse("2026-11-21T10:00:00Z"), null));
			assertThat(herald.received()).singleElement().satisfies((request) -> {
				assertThat(request.method()).isEqualTo("GET");
				assertThat(request.rawPath()).isEqualTo("/v1/users/u-1/suppressions");
			});
		}
	}

	@Test
	void aSuppressionIsPutWithItsReasonAndA202IsNotYetApplied() {
		try (LocalHttpServer herald = new LocalHttpServer((request) -> LocalHttpServer.Reply.json(202, """
				{"channel": "sms", "address": "+4915112345678", "reason": "complaint"}"""))) {
			SuppressionWrite write = client(herald.url()).users()
				.suppress("u 1", Channel.SMS, SuppressionReason.COMPLAINT);
			assertThat(write).isEqualTo(new SuppressionWrite(false, new Suppression(Channel.SMS, "+4915112345678",
					SuppressionReason.COMPLAINT, "complaint", null, null)));
			assertThat(herald.received()).singleElement().satisfies((request) -> {
				assertThat(request.method()).isEqualTo("PUT");
				assertThat(request.rawPath()).isEqualTo("/v1/users/u%201/suppressions/sms");
				assertThat(request.header("Content-Type")).startsWith("application/json");
				assertThat(request.body()).isEqualTo("{\"reason\":\"complaint\"}");
			});
		}
	}

	@Test
	void aLiftIsADeleteThatTellsWhetherItShowsAlready() {
		try (LocalHttpServer herald = new LocalHttpServer((request) -> new LocalHttpServer.Reply(
				request.rawPath().endsWith("/email") ? 204 : 202, Map.of(), "", 0))) {
			Users users = client(herald.url()).users();
			assertThat(users.liftSuppression("u-1", Channel.EMAIL)).isTrue();
			assertThat(users.liftSuppression("u-1", Channel.SMS)).isFalse();
			assertThat(herald.received()).extracting(LocalHttpServer.Received::method).containsOnly("DELETE");
		}
	}

	@Test
	void channelsWithoutSuppressionsAndTheOtherReasonAreRefusedBeforeAnythingIsSent() {
		try (LocalHttpServer herald = new LocalHttpServer((request) -> LocalHttpServer.Reply.json(200, "{}"))) {
			Users users = client(herald.url()).users();
			assertThatIllegalArgumentException()
				.isThrownBy(() -> users.suppress("u-1", Channel.PUSH, SuppressionReason.MANUAL))
				.withMessageContaining("push");
			assertThatIllegalArgumentException().isThrownBy(() -> users.liftSuppression("u-1", Channel.INAPP));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> users.suppress("u-1", Channel.EMAIL, SuppressionReason.OTHER));
			assertThat(herald.received()).isEmpty();
		}
	}

	@Test
	void refusalsArriveAsTypedProblems() {
		try (LocalHttpServer herald = new LocalHttpServer((request) -> request.method().equals("DELETE")
				? LocalHttpServer.Reply.problem(404, "not_found", Map.of())
				: LocalHttpServer.Reply.problem(403, "forbidden", Map.of()))) {
			Users users = client(herald.url()).users();
			assertThatExceptionOfType(HeraldApiException.class)
				.isThrownBy(() -> users.liftSuppression("u-1", Channel.EMAIL))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProblemKind.NOT_FOUND));
			assertThatExceptionOfType(HeraldApiException.class)
				.isThrownBy(() -> users.suppress("u-1", Channel.EMAIL, SuppressionReason.MANUAL))
				.satisfies(
						(ex) -> assertThat(ex.kind()).as("a key without USERS_WRITE").isEqualTo(ProblemKind.FORBIDDEN));
		}
	}

	private static HeraldClient client(URI url) {
		return HeraldClient.builder().apiKey("key-1").ingestionUrl(url).usersUrl(url).retryPolicy(QUICK).build();
	}

}
