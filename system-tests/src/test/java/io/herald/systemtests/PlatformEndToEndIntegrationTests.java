package io.herald.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.localstack.DemoHints;
import io.herald.localstack.ProviderSandboxes;
import io.herald.localstack.Service;
import io.herald.infra.sandbox.MailMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a newcomer does after {@code ./platform up}: the real stack with the packaged
 * services, an event POSTed with the demo key, and its status read back. Needs the
 * service jars, which the build packages before this module's integration tests run. On
 * the stack shared with the other end-to-end suites.
 */
@Order(EndToEndStackTests.ORDER)
class PlatformEndToEndIntegrationTests extends EndToEndStackTests {

	private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newHttpClient();

	private static Service ingestion;

	private static Service routing;

	private static Service delivery;

	@BeforeAll
	static void services() {
		ingestion = service("ingestion");
		routing = service("routing");
		delivery = service("delivery");
	}

	@Test
	void demoKeyPublishesAnEventThatIsRoutedByTheUsersPreferences() throws Exception {
		assertThat(stack.readyLine()).startsWith("READY ingestion=" + ingestion.url() + " routing=" + routing.url());

		// Right after start the routing stores may still be assigned: a write is then
		// durable but answered 202 (read model behind), as documented; the reads
		// below wait for it.
		assertThat(put(routing.url() + "/v1/users/jane", """
				{"email": "jane@example.com", "locale": "de-DE", "timezone": "Europe/Berlin"}""").statusCode())
			.isIn(200, 202);
		assertThat(put(routing.url() + "/v1/users/jane/preferences", """
				{"channels": {"email": true}, "categories": {"marketing.*": {"enabled": false}}}""").statusCode())
			.isIn(200, 202);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(get(routing.url() + "/v1/users/jane").body()).contains("jane@example.com");
			assertThat(get(routing.url() + "/v1/users/jane/preferences").body()).contains("marketing.*");
		});

		HttpResponse<String> routed = post(ingestion.url() + "/v1/events", """
				{"type": "order.shipped", "recipients": {"users": ["jane"]}, "priority": "high",
				 "template": "order-shipped", "data": {"orderId": "981", "customer": {"name": "Jane"}}}""");
		assertThat(routed.statusCode()).isEqualTo(202);
		String routedId = eventId(routed.body());
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			String status = get(ingestion.url() + "/v1/events/" + routedId).body();
			assertThat(status).contains("\"channel\":\"inapp\",\"state\":\"queued\"")
				.containsPattern("\"channel\":\"email\",\"state\":\"(queued|sent)\"")
				.contains("\"channel\":\"push\",\"state\":\"suppressed\",\"reason\":\"no_device\"")
				.contains("\"channel\":\"sms\",\"state\":\"suppressed\",\"reason\":\"no_phone\"");
		});

		HttpResponse<String> marketing = post(ingestion.url() + "/v1/events", """
				{"type": "marketing.weekly", "recipients": {"users": ["jane"]}, "channels": ["email"],
				 "content": {"title": "Deals", "body": "This week"}}""");
		String marketingId = eventId(marketing.body());
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(get(ingestion.url() + "/v1/events/" + marketingId).body())
				.contains("\"state\":\"suppressed\",\"reason\":\"preference\""));

		// Quiet hours around now (UTC) for this user: an event that expires within
		// them is deferred, then expired at its expiry, not when the quiet hours end.
		LocalTime now = LocalTime.now(ZoneOffset.UTC);
		assertThat(put(routing.url() + "/v1/users/owl", """
				{"email": "owl@example.com", "timezone": "UTC"}""").statusCode()).isIn(200, 202);
		assertThat(put(routing.url() + "/v1/users/owl/preferences", """
				{"quietHours": {"start": "%s", "end": "%s"}}""".formatted(clock(now.minusHours(1)),
				clock(now.plusHours(2))))
			.statusCode()).isIn(200, 202);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(
					() -> assertThat(get(routing.url() + "/v1/users/owl/preferences").body()).contains("quietHours"));
		HttpResponse<String> late = post(ingestion.url() + "/v1/events", """
				{"type": "order.shipped", "recipients": {"users": ["owl"]}, "channels": ["email"],
				 "expiresAt": "%s", "content": {"title": "Shipped", "body": "Today only"}}"""
			.formatted(Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.SECONDS)));
		assertThat(late.statusCode()).isEqualTo(202);
		String lateId = eventId(late.body());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get(ingestion.url() + "/v1/events/" + lateId).body())
				.contains("\"state\":\"deferred\"")
				.contains("\"reason\":\"quiet_hours\""));
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(get(ingestion.url() + "/v1/events/" + lateId).body())
				.contains("\"channel\":\"email\",\"state\":\"expired\",\"reason\":\"expires_at\""));

		String event = """
				{"type": "demo.hello", "recipients": {"users": ["u-1"]}, "idempotencyKey": "e2e-1",
				 "content": {"title": "Hi", "body": "Hello"}}""";
		HttpResponse<String> accepted = post(ingestion.url() + "/v1/events", event);
		assertThat(accepted.statusCode()).isEqualTo(202);
		String eventId = eventId(accepted.body());

		HttpResponse<String> duplicate = post(ingestion.url() + "/v1/events", event);
		assertThat(duplicate.statusCode()).isEqualTo(200);
		assertThat(eventId(duplicate.body())).isEqualTo(eventId);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			HttpResponse<String> status = get(ingestion.url() + "/v1/events/" + eventId);
			assertThat(status.statusCode()).isEqualTo(200);
			assertThat(status.body()).contains("\"status\":\"accepted\"");
		});
		assertThat(get(ingestion.managementUrl() + "/actuator/health/readiness").body()).contains("UP");
		assertThat(get(ingestion.url() + "/actuator/health/readiness").statusCode()).isEqualTo(404);
		assertThat(Files.readString(stack.settings().logDirectory().resolve("ingestion-service.log")))
			.contains("Started IngestionApplication");
		assertThat(Files.readString(stack.settings().logDirectory().resolve("routing-service.log")))
			.contains("Started RoutingApplication");
	}

	@Test
	void anEventForAUserWithEmailPhoneAndTwoDevicesReachesEverySandbox() throws Exception {
		ProviderSandboxes sandboxes = stack.sandboxes();
		assertThat(sandboxes).isNotNull();
		assertThat(stack.readyLine()).contains(" sandbox=" + sandboxes.url() + " ");

		assertThat(put(routing.url() + "/v1/users/ada", """
				{"email": "ada@example.com", "phone": "+4915112345678"}""").statusCode()).isIn(200, 202);
		assertThat(post(routing.url() + "/v1/users/ada/devices", """
				{"platform": "ios", "token": "%s"}""".formatted(DemoHints.DEMO_IOS_TOKEN)).statusCode()).isIn(200, 201,
				202);
		assertThat(post(routing.url() + "/v1/users/ada/devices", """
				{"platform": "android", "token": "%s"}""".formatted(DemoHints.DEMO_ANDROID_TOKEN)).statusCode())
			.isIn(200, 201, 202);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(get(routing.url() + "/v1/users/ada/devices").body())
				.contains(DemoHints.DEMO_ANDROID_TOKEN)
				.contains(DemoHints.DEMO_IOS_TOKEN));

		HttpResponse<String> accepted = post(ingestion.url() + "/v1/events", """
				{"type": "demo.hello", "recipients": {"users": ["ada"]}, "channels": ["push", "email", "sms"],
				 "content": {"title": "Hi Ada", "body": "Hello on every channel"}}""");
		assertThat(accepted.statusCode()).isEqualTo(202);
		String eventId = eventId(accepted.body());

		await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
			String page = get(sandboxes.url() + "/messages.json").body();
			assertThat(page).contains("\"to\":[\"ada@example.com\"]")
				.contains("\"to\":\"+4915112345678\"")
				.contains("\"token\":\"" + DemoHints.DEMO_IOS_TOKEN + "\"")
				.contains("\"token\":\"" + DemoHints.DEMO_ANDROID_TOKEN + "\"");
		});
		Map<String, List<?>> messages = sandboxes.messages();
		// Ada's: the other test's users get emails too.
		List<MailMessage> emails = messages.get("email")
			.stream()
			.map(MailMessage.class::cast)
			.filter((email) -> email.to().contains("ada@example.com"))
			.toList();
		assertThat(emails).hasSize(1);
		assertThat(messages.get("sms")).hasSize(1);
		assertThat(messages.get("apns")).hasSize(1);
		assertThat(messages.get("fcm")).hasSize(1);
		assertThat(get(sandboxes.url() + "/").body()).contains("Herald provider sandboxes");
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(get(ingestion.url() + "/v1/events/" + eventId).body())
				.contains("\"channel\":\"email\",\"state\":\"sent\"")
				// The Twilio sandbox's status callback moved the text on to
				// delivered.
				.contains("\"channel\":\"sms\",\"state\":\"delivered\"")
				.contains("\"channel\":\"push\",\"device\":\"ios:1a2b3c4d5e6f7081\",\"state\":\"sent\""));
		refusedAddressesAreTriedOnceThenSuppressed(ingestion, routing);
		assertOneClickUnsubscribeTurnsTheCategorysEmailOff(emails.get(0), routing);
		assertThat(get(delivery.managementUrl() + "/actuator/health/readiness").body()).contains("UP");
		assertThat(get(delivery.managementUrl() + "/actuator/prometheus").body())
			.contains("herald_delivery_sends_total")
			.contains("herald_delivery_receipts_total");
	}

	/**
	 * An email address the mail sandbox bounces and a number the SMS sandbox calls
	 * invalid: the first event fails on both, which suppresses them (docs/adr/033); the
	 * next event is not sent there at all.
	 */
	private void refusedAddressesAreTriedOnceThenSuppressed(Service ingestion, Service routing) throws Exception {
		assertThat(put(routing.url() + "/v1/users/bob", """
				{"email": "bob@bounce.invalid", "phone": "+15550001234"}""").statusCode()).isIn(200, 202);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(get(routing.url() + "/v1/users/bob").statusCode()).isEqualTo(200));
		String event = """
				{"type": "demo.hello", "recipients": {"users": ["bob"]}, "channels": ["email", "sms"],
				 "content": {"title": "Hi Bob", "body": "Hello"}}""";
		String first = eventId(post(ingestion.url() + "/v1/events", event).body());
		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(get(ingestion.url() + "/v1/events/" + first).body())
				.contains("\"channel\":\"email\",\"state\":\"failed\",\"reason\":\"bad_address\"")
				.contains("\"channel\":\"sms\",\"state\":\"failed\",\"reason\":\"invalid_number\""));
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(get(routing.url() + "/v1/users/bob/suppressions").body())
				.contains("\"reason\":\"bad_address\"")
				.contains("\"reason\":\"invalid_number\""));

		String second = eventId(post(ingestion.url() + "/v1/events", event).body());
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(get(ingestion.url() + "/v1/events/" + second).body())
				.contains("\"channel\":\"email\",\"state\":\"suppressed\",\"reason\":\"bad_address\"")
				.contains("\"channel\":\"sms\",\"state\":\"suppressed\",\"reason\":\"invalid_number\""));
	}

	/**
	 * The email's one-click link, posted as the sandbox page's button and a mailbox
	 * provider post it (no key), turns its category's email off in routing.
	 */
	private void assertOneClickUnsubscribeTurnsTheCategorysEmailOff(MailMessage email, Service routing)
			throws Exception {
		assertThat(email.header("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
		String link = email.oneClickUnsubscribe();
		assertThat(link).startsWith(routing.url() + "/v1/unsubscribe/");
		HttpResponse<String> done = this.http.send(HttpRequest.newBuilder(URI.create(link))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
		assertThat(get(routing.url() + "/v1/users/ada/preferences").body())
			.contains("\"demo.hello\":{\"channels\":[\"inapp\",\"push\",\"sms\"]}");
	}

	private HttpResponse<String> post(String url, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer demo-key")
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> put(String url, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer demo-key")
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer demo-key")
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String clock(LocalTime time) {
		return time.format(DateTimeFormatter.ofPattern("HH:mm"));
	}

	private static String eventId(String body) {
		Matcher matcher = EVENT_ID.matcher(body);
		assertThat(matcher.find()).as(body).isTrue();
		return matcher.group(1);
	}

}
