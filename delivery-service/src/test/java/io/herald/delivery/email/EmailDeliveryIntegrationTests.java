package io.herald.delivery.email;

import io.herald.delivery.Actuator;
import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.sandbox.MailFailure;
import io.herald.infra.sandbox.MailMessage;
import io.herald.infra.sandbox.MailSandbox;
import io.herald.support.unsubscribe.UnsubscribeLink;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import io.herald.support.unsubscribe.UnsubscribeProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static io.herald.delivery.Lanes.email;
import static io.herald.delivery.Lanes.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Email end to end: delivery requests on the email lanes reach two SMTP relays (GreenMail
 * sandboxes) through jakarta-mail, with failover, circuit breakers and the operator's
 * lane controls.
 */
class EmailDeliveryIntegrationTests extends DeliveryIntegrationTest {

	private static final MailSandbox primary = MailSandbox.start();

	private static final MailSandbox backup = MailSandbox.start();

	private String address;

	private static final String SIGNING_KEY = "delivery-test-unsubscribe-key-0123456789";

	@DynamicPropertySource
	static void relays(DynamicPropertyRegistry registry) {
		relay(registry, 0, "smtp-primary", primary);
		relay(registry, 1, "smtp-backup", backup);
		registry.add("herald.unsubscribe.signing-key", () -> SIGNING_KEY);
		registry.add("herald.unsubscribe.base-url", () -> "https://notify.herald.test");
	}

	private static void relay(DynamicPropertyRegistry registry, int index, String name, MailSandbox sandbox) {
		String prefix = "herald.delivery.smtp.providers[" + index + "].";
		registry.add(prefix + "name", () -> name);
		registry.add(prefix + "host", sandbox::host);
		registry.add(prefix + "port", sandbox::port);
		registry.add(prefix + "security", () -> "none");
		registry.add(prefix + "from", () -> "Herald <no-reply@herald.test>");
	}

	@AfterAll
	static void stopSandboxes() {
		primary.close();
		backup.close();
	}

	@BeforeEach
	void newAddress() {
		this.address = this.user + "@example.com";
	}

	@AfterEach
	void clearFailures() {
		primary.clearFailures();
		backup.clearFailures();
	}

	@Test
	void sendsTextAndHtmlWithAStableMessageIdAndReportsIt() {
		DeliverNotification notification = notification(this.user, "e-1", Priority.HIGH, email(this.address));
		lanes.deliver(notification);

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
		MailMessage message = received(primary).get(0);
		assertThat(message.subject()).isEqualTo("Your order shipped");
		assertThat(message.text()).isEqualTo("Order 981 is on its way");
		assertThat(message.html()).isEqualTo("<p>Order <b>981</b> is on its way</p>");
		assertThat(message.from()).isEqualTo("Herald <no-reply@herald.test>");
		assertThat(message.headers()).containsEntry("X-Herald-Event-Id", "e-1")
			.containsEntry("X-Herald-Notification-Id", notification.notificationId());
		assertThat(message.messageId()).endsWith("@herald>");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(sent()).singleElement()
				.extracting(StatusReported::providerId)
				.isEqualTo(message.messageId()));
	}

	@Test
	void anEmailThatIsNotCriticalOffersOneClickUnsubscribeFromItsCategory() {
		DeliverNotification notification = notification(this.user, "e-1", Priority.LOW, email(this.address));
		lanes.deliver(notification);

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
		MailMessage message = received(primary).get(0);
		assertThat(message.header("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
		String link = message.oneClickUnsubscribe();
		assertThat(link).startsWith("https://notify.herald.test/v1/unsubscribe/");
		assertThat(message.header("List-Unsubscribe")).isEqualTo("<" + link + ">");
		UnsubscribeLinks routing = new UnsubscribeLinks(new UnsubscribeProperties(SIGNING_KEY, null, null, null),
				Clock.systemUTC());
		String token = link.substring(link.lastIndexOf('/') + 1);
		assertThat(routing.verify(token)).isEqualTo(new UnsubscribeLinks.Verification.Verified(
				UnsubscribeLink.category(Lanes.TENANT, this.user, "order.shipped", notification.createdAt())));
	}

	@Test
	void aCriticalEmailCarriesNoUnsubscribeHeaders() {
		lanes.deliver(notification(this.user, "e-1", Priority.CRITICAL, email(this.address)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
		MailMessage message = received(primary).get(0);
		assertThat(message.allHeaders()).extracting(MailMessage.Header::name)
			.contains("X-Herald-Event-Id")
			.doesNotContain("List-Unsubscribe", "List-Unsubscribe-Post");
		assertThat(message.oneClickUnsubscribe()).isNull();
	}

	@Test
	void aBouncingAddressFailsForGoodWithoutRetry() {
		String bouncing = this.user + "@" + MailSandbox.BOUNCE_DOMAIN;
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, email(bouncing)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.statuses(this.user)).anySatisfy((status) -> {
			assertThat(status.state()).isEqualTo(DeliveryState.FAILED);
			assertThat(status.reason()).isEqualTo("bad_address");
		}));
		assertThat(Lanes.records(Topics.retry(Topics.deliver(Channel.EMAIL, Lane.PRIORITY), 1), this.user)).isEmpty();
	}

	/**
	 * A process may stop after the ledger recorded the refusal and before its command was
	 * written: the request read again asks again, with the time of the first answer, so
	 * that a lift since still outranks it.
	 */
	@Test
	void aBouncingAddressAsksRoutingToSuppressItAgainWhenItsRequestIsReadAgain() {
		String bouncing = this.user + "@" + MailSandbox.BOUNCE_DOMAIN;
		DeliverNotification notification = notification(this.user, "e-1", Priority.HIGH, email(bouncing));
		lanes.deliver(notification);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).hasSize(1));
		UserCommand.SuppressAddress first = Lanes.suppressions(this.user).getFirst();
		assertThat(first.evidenceAt()).isNotNull();
		assertThat(first.schemaVersion()).isEqualTo(UserCommand.CONDITIONAL_SCHEMA_VERSION);

		// Read again (a redelivery): the ledger knows it, so the relay is not asked
		// again.
		lanes.deliver(notification);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.filteredOn((status) -> status.state() == DeliveryState.FAILED)
				.hasSize(2));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).hasSize(2));
		assertThat(Lanes.suppressions(this.user)).allSatisfy((command) -> {
			assertThat(command.key()).isEqualTo(Lanes.TENANT + "|" + this.user);
			assertThat(command.channel()).isEqualTo(Channel.EMAIL);
			assertThat(command.address()).isEqualTo(bouncing);
			assertThat(command.reason()).isEqualTo(SuppressionReason.BAD_ADDRESS);
			assertThat(command.notificationId()).isEqualTo(notification.notificationId());
			assertThat(command.evidenceAt()).isEqualTo(first.evidenceAt());
		});
	}

	@Test
	void aFailingRelayOpensItsCircuitAndMailGoesThroughTheNextOne() {
		primary.failUntilCleared(MailFailure.SERVICE_UNAVAILABLE);
		Actuator actuator = new Actuator(this.managementPort);
		List<DeliverNotification> notifications = IntStream.rangeClosed(1, 8)
			.mapToObj((n) -> notification(this.user, "e-" + n, Priority.HIGH, email(this.address)))
			.toList();
		lanes.deliverAll(notifications);

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(backup)).hasSize(8));
		assertThat(received(primary)).isEmpty();
		// Open, or already letting a probe through: the circuit stays open only 1 s in
		// tests.
		assertThat(actuator.get("/actuator/lanes").body())
			.containsPattern("\"smtp-primary\":\\{\"channel\":\"email\",\"circuit\":\"(open|half_open)\"}");
		assertThat(actuator.get("/actuator/lanes").body())
			.contains("\"smtp-backup\":{\"channel\":\"email\",\"circuit\":\"closed\"}");
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(8));
	}

	@Test
	void aPausedLaneHoldsItsRequestsUntilResumed() {
		Actuator actuator = new Actuator(this.managementPort);
		String group = "herald-delivery-email-bulk";
		assertThat(actuator.post("/actuator/lanes/" + group, "{\"action\": \"pause\"}").statusCode()).isEqualTo(200);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(actuator.get("/actuator/lanes").body())
				.contains("\"" + group + "\":{\"paused\":true}"));

		lanes.deliver(notification(this.user, "e-1", Priority.LOW, email(this.address)));
		await().during(Duration.ofSeconds(2))
			.atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(received(primary)).isEmpty());

		assertThat(actuator.post("/actuator/lanes/" + group, "{\"action\": \"resume\"}").statusCode()).isEqualTo(200);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received(primary)).hasSize(1));
	}

	@Test
	void anOperatorReplaysDeadLettersIntoTheirLane() {
		primary.failUntilCleared(MailFailure.TEMPORARY);
		backup.failUntilCleared(MailFailure.TEMPORARY);
		lanes.deliver(notification(this.user, "e-1", Priority.NORMAL, email(this.address)));
		String lane = Topics.deliver(Channel.EMAIL, Lane.BULK).name();
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.records(Topics.deadLetter(lane), this.user)).hasSize(1));
		primary.clearFailures();
		backup.clearFailures();

		Actuator actuator = new Actuator(this.managementPort);
		var replay = actuator.post("/actuator/lanes/" + lane + "/replay", "{\"max\": 1000}");

		assertThat(replay.statusCode()).isEqualTo(200);
		assertThat(replay.body()).contains("\"replayed\":");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(received(primary).size() + received(backup).size()).isEqualTo(1));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(1));
	}

	/**
	 * Critical has a lane of its own (docs/adr/014): a critical email written after a
	 * flood of high and bulk ones reaches the relay while most of the flood has not,
	 * counted in the relays' own order of arrival.
	 */
	@Test
	void aFloodOfHighAndBulkEmailsDoesNotHoldBackACriticalEmail() {
		List<DeliverNotification> flood = IntStream.range(0, 3000)
			.mapToObj((n) -> notification(this.user + "-" + (n % 100), "flood-" + n,
					(n % 2 == 0) ? Priority.HIGH : Priority.LOW, email(this.user + "-" + (n % 100) + "@example.com")))
			.toList();
		lanes.deliverAll(flood);
		lanes.deliver(notification(this.user, "critical", Priority.CRITICAL, email(this.address)));

		await().atMost(TIMEOUT).until(() -> received(primary).size() + received(backup).size() == 1);
		MailMessage critical = (received(primary).isEmpty() ? received(backup) : received(primary)).get(0);
		// The relays' own order of arrival: how many of the flood came in before the
		// critical one.
		long floodSent = flood(primary).stream()
			.filter((message) -> message.receivedAt().isBefore(critical.receivedAt()))
			.count()
				+ flood(backup).stream()
					.filter((message) -> message.receivedAt().isBefore(critical.receivedAt()))
					.count();

		assertThat(floodSent).as("high and bulk emails sent when the critical one was").isLessThan(flood.size() / 2);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(flood(primary).size() + flood(backup).size()).isEqualTo(flood.size()));
	}

	@Test
	void aCriticalEmailGoesOutWhileTheHighAndBulkLanesAreStalled() {
		Actuator actuator = new Actuator(this.managementPort);
		List<String> others = List.of("herald-delivery-email-priority", "herald-delivery-email-bulk");
		assertThat(actuator.get("/actuator/lanes").body()).contains(
				"\"herald-delivery-email-critical\":{\"paused\":false}",
				"\"herald-delivery-email-critical-retry\":{\"paused\":false}");
		others.forEach(
				(group) -> assertThat(actuator.post("/actuator/lanes/" + group, "{\"action\": \"pause\"}").statusCode())
					.isEqualTo(200));
		try {
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(actuator.get("/actuator/lanes").body()).contains(
						"\"herald-delivery-email-priority\":{\"paused\":true}",
						"\"herald-delivery-email-bulk\":{\"paused\":true}"));
			lanes.deliver(notification(this.user + "-1", "high", Priority.HIGH, email(this.user + "-1@example.com")));
			lanes.deliver(notification(this.user + "-2", "bulk", Priority.LOW, email(this.user + "-2@example.com")));
			lanes.deliver(notification(this.user, "critical", Priority.CRITICAL, email(this.address)));

			await().atMost(TIMEOUT).until(() -> received(primary).size() + received(backup).size() == 1);
			assertThat(flood(primary)).isEmpty();
			assertThat(flood(backup)).isEmpty();
		}
		finally {
			others.forEach((group) -> actuator.post("/actuator/lanes/" + group, "{\"action\": \"resume\"}"));
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(flood(primary).size() + flood(backup).size()).isEqualTo(2));
	}

	private List<MailMessage> flood(MailSandbox sandbox) {
		return sandbox.messages()
			.stream()
			.filter((message) -> message.to().stream().anyMatch((to) -> to.startsWith(this.user + "-")))
			.toList();
	}

	@Test
	void operatorRequestsForUnknownLanesOrActionsAreRefused() {
		Actuator actuator = new Actuator(this.managementPort);
		assertThat(actuator.post("/actuator/lanes/no-such-group", "{\"action\": \"pause\"}").statusCode())
			.isEqualTo(404);
		assertThat(
				actuator.post("/actuator/lanes/herald-delivery-email-bulk", "{\"action\": \"explode\"}").statusCode())
			.isEqualTo(400);
		assertThat(actuator.post("/actuator/lanes/herald.events/replay", "{}").statusCode()).isEqualTo(404);
		assertThat(actuator
			.post("/actuator/lanes/" + Topics.deliver(Channel.EMAIL, Lane.BULK).name() + "/replay", "{\"max\": 0}")
			.statusCode()).isEqualTo(400);
	}

	private List<MailMessage> received(MailSandbox sandbox) {
		return sandbox.messages().stream().filter((message) -> message.to().contains(this.address)).toList();
	}

	private List<StatusReported> sent() {
		return Lanes.statuses(this.user).stream().filter((status) -> status.state() == DeliveryState.SENT).toList();
	}

	@Test
	void operatorActionsNeedTheOperatorToken() {
		Actuator actuator = new Actuator(this.managementPort);
		String group = "herald-delivery-email-bulk";
		var without = actuator.post("/actuator/lanes/" + group, "{\"action\": \"pause\"}", null);
		assertThat(without.statusCode()).isEqualTo(401);
		assertThat(without.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(without.body()).contains("\"code\":\"operator_unauthorized\"");
		var wrong = actuator.post("/actuator/lanes/" + group, "{\"action\": \"pause\"}", "guess");
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(wrong.body()).contains("\"code\":\"operator_forbidden\"");
		assertThat(actuator
			.post("/actuator/lanes/" + Topics.deliver(Channel.EMAIL, Lane.BULK).name() + "/replay", "{}", null)
			.statusCode()).isEqualTo(401);
		assertThat(actuator.post("/actuator/lanes/" + group, "{\"action\": \"resume\"}").statusCode()).isEqualTo(200);
		assertThat(new Actuator(this.managementPort).get("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@Test
	void apiPortDoesNotServeTheActuator() {
		Actuator onApiPort = new Actuator(this.port);
		assertThat(onApiPort.get("/actuator/lanes").statusCode()).isEqualTo(404);
		assertThat(onApiPort.post("/actuator/lanes/herald-delivery-email-bulk", "{\"action\": \"pause\"}").statusCode())
			.isEqualTo(404);
		assertThat(onApiPort.get("/actuator/health").statusCode()).isEqualTo(404);
	}

}
