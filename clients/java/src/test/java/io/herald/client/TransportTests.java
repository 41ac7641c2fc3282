package io.herald.client;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The client's retries and errors against a real local HTTP server that answers as Herald
 * does when it is busy, unavailable, slow or refusing.
 */
class TransportTests {

	private static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50),
			Duration.ofSeconds(2));

	private static final String ACCEPTED = """
			{"eventId": "e-1", "status": "accepted"}""";

	@Test
	void publishIsRepeatedAfter503UntilAccepted() {
		AtomicInteger calls = new AtomicInteger();
		try (LocalHttpServer herald = new LocalHttpServer((request) -> (calls.incrementAndGet() < 3)
				? LocalHttpServer.Reply.problem(503, "service_unavailable", Map.of("Retry-After", "1"))
				: LocalHttpServer.Reply.json(202, ACCEPTED))) {
			Published published = client(herald.url(), QUICK).events().publish(event(null));
			assertThat(published).isEqualTo(new Published("e-1", false));
			assertThat(herald.received()).hasSize(3);
			assertThat(herald.received()).allSatisfy((request) -> {
				assertThat(request.header("Authorization")).isEqualTo("Bearer key-1");
				assertThat(request.rawPath()).isEqualTo("/v1/events");
			});
		}
	}

	@Test
	void aRetryAfterLongerThanThePolicyAllowsReachesTheCaller() {
		try (LocalHttpServer herald = new LocalHttpServer(
				(request) -> LocalHttpServer.Reply.problem(429, "rate_limited", Map.of("Retry-After", "120")))) {
			assertThatExceptionOfType(HeraldApiException.class)
				.isThrownBy(() -> client(herald.url(), QUICK).events().publish(event(null)))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(ProblemKind.RATE_LIMITED);
					assertThat(ex.code()).isEqualTo("rate_limited");
					assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(120));
				});
			assertThat(herald.received()).hasSize(1);
		}
	}

	@Test
	void aPublishWithoutAnIdempotencyKeyIsNotRepeatedWhenItsAnswerIsLost() {
		try (LocalHttpServer herald = new LocalHttpServer(
				(request) -> new LocalHttpServer.Reply(202, Map.of(), ACCEPTED, 2_000))) {
			HeraldClient client = HeraldClient.builder()
				.apiKey("key-1")
				.ingestionUrl(herald.url())
				.requestTimeout(Duration.ofMillis(200))
				.retryPolicy(QUICK)
				.build();
			assertThatExceptionOfType(HeraldTransportException.class)
				.isThrownBy(() -> client.events().publish(event(null)));
			assertThat(herald.received()).as("a repeat could publish the event twice").hasSize(1);
		}
	}

	@Test
	void aPublishWithAnIdempotencyKeyIsRepeatedWhenItsAnswerIsLost() {
		AtomicInteger calls = new AtomicInteger();
		try (LocalHttpServer herald = new LocalHttpServer((request) -> (calls.incrementAndGet() == 1)
				? new LocalHttpServer.Reply(202, Map.of(), ACCEPTED, 2_000) : LocalHttpServer.Reply.json(200, """
						{"eventId": "e-1", "status": "duplicate"}"""))) {
			HeraldClient client = HeraldClient.builder()
				.apiKey("key-1")
				.ingestionUrl(herald.url())
				.requestTimeout(Duration.ofMillis(500))
				.retryPolicy(QUICK)
				.build();
			assertThat(client.events().publish(event("order-1"))).isEqualTo(new Published("e-1", true));
			assertThat(herald.received()).hasSize(2);
		}
	}

	@Test
	void aRefusedEventIsAnInvalidProblemNamingItsFields() {
		try (LocalHttpServer herald = new LocalHttpServer(
				(request) -> new LocalHttpServer.Reply(400, Map.of("Content-Type", "application/problem+json"), """
						{"type": "urn:herald:problem:invalid_event", "title": "Invalid event", "status": 400,
						 "detail": "1 field is invalid", "code": "invalid_event",
						 "errors": [{"field": "recipients.users[0]", "message": "must be a user id"}]}""", 0))) {
			assertThatExceptionOfType(HeraldApiException.class)
				.isThrownBy(() -> client(herald.url(), QUICK).events().publish(event(null)))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(ProblemKind.INVALID);
					assertThat(ex.problem().errors())
						.containsExactly(new Problem.FieldError("recipients.users[0]", "must be a user id"));
					assertThat(ex.getMessage()).isEqualTo("400 invalid_event: 1 field is invalid");
				});
			assertThat(herald.received()).as("an invalid event is not repeated").hasSize(1);
		}
	}

	@Test
	void anAnswerThatIsNotAProblemDetailIsDescribedByItsStatus() {
		try (LocalHttpServer herald = new LocalHttpServer(
				(request) -> new LocalHttpServer.Reply(502, Map.of("Content-Type", "text/html"), "<h1>Bad</h1>", 0))) {
			assertThatExceptionOfType(HeraldApiException.class)
				.isThrownBy(() -> client(herald.url(), QUICK).users().get("u-1"))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(ProblemKind.OTHER);
					assertThat(ex.code()).isEqualTo("http_502");
				});
			assertThat(herald.received()).as("a read is repeated after 502").hasSize(4);
		}
	}

	@Test
	void aReadIsRepeatedWhenItsAnswerIsLost() {
		AtomicInteger calls = new AtomicInteger();
		try (LocalHttpServer herald = new LocalHttpServer((request) -> (calls.incrementAndGet() == 1)
				? new LocalHttpServer.Reply(200, Map.of(), "{}", 2_000) : LocalHttpServer.Reply.json(200, """
						{"email": "ada@example.com"}"""))) {
			HeraldClient client = HeraldClient.builder()
				.apiKey("key-1")
				.usersUrl(herald.url())
				.requestTimeout(Duration.ofMillis(500))
				.retryPolicy(QUICK)
				.build();
			assertThat(client.users().get("u-1").profile().email()).isEqualTo("ada@example.com");
			assertThat(herald.received()).hasSize(2);
		}
	}

	@Test
	void a502ToAPublishWithoutAnIdempotencyKeyIsNotRepeated() {
		try (LocalHttpServer herald = new LocalHttpServer(
				(request) -> new LocalHttpServer.Reply(502, Map.of("Content-Type", "text/html"), "<h1>Bad</h1>", 0))) {
			assertThatExceptionOfType(HeraldApiException.class)
				.isThrownBy(() -> client(herald.url(), QUICK).events().publish(event(null)));
			assertThat(herald.received()).as("the proxy may have passed it on").hasSize(1);
		}
	}

	@Test
	void anIdThatAUriWouldResolveAwayIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Paths.segment(".."));
		assertThatIllegalArgumentException().isThrownBy(() -> Paths.segment("."));
		assertThat(Paths.segment("a~b")).isEqualTo("a~b");
	}

	@Test
	void idsAreOnePathSegmentEach() {
		try (LocalHttpServer herald = new LocalHttpServer(
				(request) -> new LocalHttpServer.Reply(204, Map.of(), "", 0))) {
			client(herald.url(), QUICK).users().removeDevice("../admin", "a/b?c=d#e f");
			assertThat(herald.received().getFirst().rawPath())
				.isEqualTo("/v1/users/..%2Fadmin/devices/a%2Fb%3Fc%3Dd%23e%20f");
		}
	}

	@Test
	void aBaseUrlWithAPathKeepsIt() {
		try (LocalHttpServer herald = new LocalHttpServer((request) -> LocalHttpServer.Reply.json(202, ACCEPTED))) {
			client(URI.create(herald.url() + "/herald"), QUICK).events().publish(event(null));
			assertThat(herald.received().getFirst().rawPath()).isEqualTo("/herald/v1/events");
		}
	}

	@Test
	void retryAfterIsReadAsSecondsOrAsADate() {
		assertThat(Transport.retryAfter(headers("7"))).isEqualTo(Duration.ofSeconds(7));
		assertThat(Transport.retryAfter(headers("Wed, 21 Oct 2015 07:28:00 GMT"))).isEqualTo(Duration.ZERO);
		assertThat(Transport.retryAfter(headers("soon"))).isNull();
	}

	private static java.net.http.HttpHeaders headers(String retryAfter) {
		return java.net.http.HttpHeaders.of(Map.of("Retry-After", java.util.List.of(retryAfter)), (a, b) -> true);
	}

	private static HeraldClient client(URI url, RetryPolicy retries) {
		return HeraldClient.builder().apiKey("key-1").ingestionUrl(url).usersUrl(url).retryPolicy(retries).build();
	}

	private static Event event(String idempotencyKey) {
		Event.Builder builder = Event.builder("order.shipped").toUsers("u-1").content("Shipped", "On its way");
		return (idempotencyKey != null) ? builder.idempotencyKey(idempotencyKey).build() : builder.build();
	}

}
