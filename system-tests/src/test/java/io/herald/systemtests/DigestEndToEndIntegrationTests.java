package io.herald.systemtests;

import io.herald.infra.sandbox.MailMessage;
import io.herald.localstack.ProviderSandboxes;
import io.herald.localstack.Service;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Digests end to end (docs/adr/036), with the packaged services, a real Kafka broker, a
 * real Redis and the provider sandboxes: a digest setting made through routing's public
 * API, events posted to ingestion's, the in-app notifications at once and the email held,
 * routing killed with SIGKILL and started again mid-window, and then one digest email at
 * the SMTP sandbox listing every event once; a critical event is not digested. On the
 * stack shared with the other end-to-end suites.
 */
@Order(EndToEndStackTests.ORDER)
class DigestEndToEndIntegrationTests extends EndToEndStackTests {

	private static final Pattern EVENT_ID = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");

	private static final int EVENTS = 4;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aDigestSurvivesARoutingCrashAndArrivesOnceWithEveryItemOnce() throws Exception {
		Service ingestion = service("ingestion");
		Service routing = service("routing");
		String address = "digest-ada@example.com";
		assertThat(send("PUT", routing.url() + "/v1/users/digest-ada", "{\"email\": \"" + address + "\"}").statusCode())
			.isIn(200, 202);
		HttpResponse<String> setting = send("PUT", routing.url() + "/v1/digests/e2e.*", "{\"window\": \"PT1M\"}");
		assertThat(setting.statusCode()).as(setting.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(send("GET", routing.url() + "/v1/users/digest-ada", null).body())
				.contains(address));

		List<String> ids = new ArrayList<>();
		for (int n = 0; n < EVENTS / 2; n++) {
			ids.add(post(ingestion, n, "normal"));
		}
		for (String id : ids) {
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(send("GET", ingestion.url() + "/v1/events/" + id, null).body())
					.contains("\"channel\":\"email\",\"state\":\"deferred\"")
					.contains("\"reason\":\"digest\"")
					.contains("\"channel\":\"inapp\",\"state\":\"queued\""));
		}

		stack.crashAndRestart("routing");
		await().atMost(Duration.ofSeconds(180))
			.ignoreExceptions()
			.until(() -> send("GET", routing.url() + "/v1/digests/e2e.*", null).statusCode() == 200);
		for (int n = EVENTS / 2; n < EVENTS; n++) {
			ids.add(post(ingestion, n, "normal"));
		}
		String critical = post(ingestion, 99, "critical");

		ProviderSandboxes sandboxes = Objects.requireNonNull(stack.sandboxes());
		await().atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(digests(sandboxes, address)).isNotEmpty());
		// Nothing more: one digest, the critical event on its own.
		await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(digests(sandboxes, address)).hasSize(1);
		});
		MailMessage digest = digests(sandboxes, address).get(0);
		assertThat(digest.subject()).isEqualTo("Your digest: " + EVENTS + " new notifications");
		for (int n = 0; n < EVENTS; n++) {
			assertThat(occurrences(Objects.requireNonNull(digest.text()), title(n))).as("item %d", n).isEqualTo(1);
		}
		assertThat(mails(sandboxes, address)).filteredOn((mail) -> title(99).equals(mail.subject()))
			.as("the critical event, at once")
			.hasSize(1);
		assertThat(send("GET", ingestion.url() + "/v1/events/" + critical, null).body())
			.doesNotContain("\"reason\":\"digest\"");
		// Each event's email follows its digest's: sent, when the digest was.
		for (String id : ids) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(send("GET", ingestion.url() + "/v1/events/" + id, null).body())
					.contains("\"channel\":\"email\",\"state\":\"sent\""));
		}
	}

	private String post(Service ingestion, int n, String priority) throws Exception {
		HttpResponse<String> accepted = send("POST", ingestion.url() + "/v1/events", """
				{"type": "e2e.note", "recipients": {"users": ["digest-ada"]}, "channels": ["inapp", "email"],
				 "priority": "%s", "content": {"title": "%s", "body": "Note %d"}}""".formatted(priority, title(n), n));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		Matcher matcher = EVENT_ID.matcher(accepted.body());
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	private static String title(int n) {
		return "Note number " + n;
	}

	private static List<MailMessage> mails(ProviderSandboxes sandboxes, String address) {
		List<MailMessage> mails = new ArrayList<>();
		for (Object message : sandboxes.messages().getOrDefault("email", List.of())) {
			if (message instanceof MailMessage mail && mail.to().contains(address)) {
				mails.add(mail);
			}
		}
		return mails;
	}

	/**
	 * The digest emails to an address, by {@code Message-ID}: how a mailbox counts them.
	 */
	private static List<MailMessage> digests(ProviderSandboxes sandboxes, String address) {
		List<MailMessage> digests = new ArrayList<>();
		List<String> seen = new ArrayList<>();
		for (MailMessage mail : mails(sandboxes, address)) {
			if (mail.subject() != null && mail.subject().startsWith("Your digest")
					&& !seen.contains(mail.messageId())) {
				seen.add(mail.messageId());
				digests.add(mail);
			}
		}
		return digests;
	}

	private HttpResponse<String> send(String method, String url, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer demo-key")
			.timeout(Duration.ofSeconds(30));
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

}
