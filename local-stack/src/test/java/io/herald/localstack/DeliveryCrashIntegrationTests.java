package io.herald.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.Priority;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.infra.FreePorts;
import io.herald.infra.sandbox.ApnsNotification;
import io.herald.infra.sandbox.MailMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guarantees 1 and 2 for delivery, with the real service jar: the delivery service is killed
 * with SIGKILL in the middle of 1,000 emails and 1,000 iOS pushes, started again, and the
 * sandboxes count what arrived.
 *
 * <p>Every message arrives, and every one arrives once as the mailbox or device sees it: distinct
 * {@code Message-ID}s and {@code apns-id}s are exactly the 2,000 sent. On the wire, a message may
 * be handed over twice only if it was in flight when the process died (the provider accepted it,
 * the ledger never heard): the restarted service finds such a send claimed without an outcome
 * ("ambiguous") and sends it again with the same ids, which devices and mailboxes collapse. So
 * the wire-level repeats are bounded by the ambiguous claims the restarted service counted.
 */
class DeliveryCrashIntegrationTests {

	private static final int USERS = 100;

	private static final int PER_USER = 10;

	private static final Pattern AMBIGUOUS = Pattern
		.compile("herald_delivery_ledger_total\\{[^}]*answer=\"ambiguous\"[^}]*\\} ([0-9.E]+)");

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path data;

	@Test
	void killingTheDeliveryServiceMidBatchLosesNothingAndShowsNothingTwice() throws Exception {
		Path home = Path.of("..").toAbsolutePath().normalize();
		List<Integer> ports = FreePorts.find(4);
		Service delivery = Service.ALL.stream().filter((service) -> service.name().equals("delivery")).findFirst()
			.orElseThrow().withPorts(ports.get(2), ports.get(3));
		LocalStackSettings settings = new LocalStackSettings(ports.get(0), ports.get(1), "demo", "demo-key",
				LocalStackSettings.DEFAULT_DEMO_JWT_SECRET, this.data, List.of(delivery), Duration.ofSeconds(180));
		try (LocalStack stack = new LocalStack(settings, home)) {
			// A short lease, so that sends the killed process had claimed are taken over within seconds.
			stack.environment("delivery", Map.of("HERALD_DELIVERY_LEDGER_LEASE", "3s", "HERALD_DELIVERY_RETRY_INITIALDELAY",
					"200ms"));
			stack.start();
			ProviderSandboxes sandboxes = stack.sandboxes();
			List<DeliverNotification> emails = new ArrayList<>();
			List<DeliverNotification> pushes = new ArrayList<>();
			for (int user = 0; user < USERS; user++) {
				String userId = "crash-" + user;
				Device iphone = new Device(Device.Platform.IOS, token(user), null, Instant.now());
				for (int n = 0; n < PER_USER; n++) {
					emails.add(notification(userId, "mail-" + user + "-" + n,
							new ChannelMessage.Email(userId + "@example.com", "Message " + n, "Body " + n, null)));
					pushes.add(notification(userId, "push-" + user + "-" + n,
							new ChannelMessage.Push("Message " + n, "Body " + n, List.of(iphone))));
				}
			}
			try (KafkaProducer<String, byte[]> producer = producer(stack)) {
				for (int i = 0; i < emails.size(); i++) {
					send(producer, Topics.deliver(Channel.EMAIL, Priority.HIGH.lane()), emails.get(i));
					send(producer, Topics.deliver(Channel.PUSH, Priority.HIGH.lane()), pushes.get(i));
				}
				producer.flush();
			}

			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
				.until(() -> sandboxes.messages().get("email").size() + sandboxes.messages().get("apns").size() >= 300);
			int beforeCrash = sandboxes.messages().get("email").size() + sandboxes.messages().get("apns").size();
			assertThat(beforeCrash).as("the crash must come mid-batch").isLessThan(2 * USERS * PER_USER);
			ServiceProcess restarted = stack.crashAndRestart("delivery");
			try (HttpClient readiness = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
				restarted.awaitReady(readiness, Instant.now().plus(Duration.ofSeconds(120)));
			}

			Set<String> expectedMail = new HashSet<>();
			emails.forEach((notification) -> expectedMail.add(notification.notificationId()));
			Set<String> expectedPush = new HashSet<>();
			pushes.forEach((notification) -> expectedPush.add(notification.eventId()));
			try {
				await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
					.until(() -> mailboxView(sandboxes).equals(expectedMail) && deviceView(sandboxes).equals(expectedPush));
			}
			catch (ConditionTimeoutException ex) {
				throw new AssertionError(shortfall("emails", expectedMail, mailboxView(sandboxes))
						+ shortfall("pushes", expectedPush, deviceView(sandboxes)) + outcomes(delivery)
						+ Chaos.logExcerpts(settings.logDirectory()) + restarted.threadDump(), ex);
			}

			List<MailMessage> mail = mail(sandboxes);
			List<ApnsNotification> apns = apns(sandboxes);
			long distinctMessageIds = mail.stream().map(MailMessage::messageId).distinct().count();
			long distinctApnsIds = apns.stream().map(ApnsNotification::apnsId).distinct().count();
			assertThat(distinctMessageIds).isEqualTo(emails.size());
			assertThat(distinctApnsIds).isEqualTo(pushes.size());
			long repeats = (mail.size() - distinctMessageIds) + (apns.size() - distinctApnsIds);
			double ambiguous = ambiguousClaims(delivery);
			System.out.printf("crash test: %d of 2000 delivered before the kill; %d wire-level repeats, %s ambiguous claims%n",
					beforeCrash, repeats, ambiguous);
			assertThat((double) repeats).isLessThanOrEqualTo(ambiguous);
		}
	}

	/** What a failed run lacks, briefly: a thousand expected ids would bury the logs that explain it. */
	private static String shortfall(String what, Set<String> expected, Set<String> seen) {
		Set<String> missing = new TreeSet<>(expected);
		missing.removeAll(seen);
		Set<String> unexpected = new TreeSet<>(seen);
		unexpected.removeAll(expected);
		return "%s: %d of %d never arrived, e.g. %s; %d unexpected, e.g. %s%n".formatted(what, missing.size(),
				expected.size(), missing.stream().limit(5).toList(), unexpected.size(),
				unexpected.stream().limit(5).toList());
	}

	/** The restarted service's counts of what became of requests and of ledger answers. */
	private String outcomes(Service delivery) {
		try {
			String metrics = this.http.send(HttpRequest.newBuilder(URI.create(delivery.managementUrl() + "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString()).body();
			return metrics.lines()
				.filter((line) -> line.startsWith("herald_delivery_requests_total") || line.startsWith("herald_delivery_ledger_total")
						|| line.startsWith("herald_delivery_sends_total"))
				.collect(Collectors.joining("\n", "", "\n"));
		}
		catch (IOException ex) {
			return "(no metrics: " + ex + ")\n";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(no metrics: interrupted)\n";
		}
	}

	/** The notifications a mailbox shows: one per Message-ID, named by their notification id header. */
	private static Set<String> mailboxView(ProviderSandboxes sandboxes) {
		Map<String, String> byMessageId = new java.util.HashMap<>();
		for (MailMessage message : mail(sandboxes)) {
			byMessageId.putIfAbsent(message.messageId(), message.headers().get("X-Herald-Notification-Id"));
		}
		return new HashSet<>(byMessageId.values());
	}

	/** The notifications a device shows: one per collapse id, named by their event id. */
	private static Set<String> deviceView(ProviderSandboxes sandboxes) {
		Map<String, String> byCollapseId = new java.util.HashMap<>();
		Pattern eventId = Pattern.compile("\"heraldEventId\":\"([^\"]+)\"");
		for (ApnsNotification notification : apns(sandboxes)) {
			Matcher matcher = eventId.matcher(notification.payload());
			byCollapseId.putIfAbsent(notification.collapseId(), matcher.find() ? matcher.group(1) : "?");
		}
		return new HashSet<>(byCollapseId.values());
	}

	@SuppressWarnings("unchecked")
	private static List<MailMessage> mail(ProviderSandboxes sandboxes) {
		return (List<MailMessage>) sandboxes.messages().get("email");
	}

	@SuppressWarnings("unchecked")
	private static List<ApnsNotification> apns(ProviderSandboxes sandboxes) {
		return (List<ApnsNotification>) sandboxes.messages().get("apns");
	}

	private double ambiguousClaims(Service delivery) throws Exception {
		String metrics = this.http.send(HttpRequest.newBuilder(URI.create(delivery.managementUrl() + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		double total = 0;
		Matcher matcher = AMBIGUOUS.matcher(metrics);
		while (matcher.find()) {
			total += Double.parseDouble(matcher.group(1));
		}
		return total;
	}

	private static DeliverNotification notification(String user, String eventId, ChannelMessage message) {
		return new DeliverNotification(DeliverNotification.SCHEMA_VERSION, "demo", eventId,
				DeliverNotification.notificationId(eventId, user, message.channel()), user, Priority.HIGH, "crash.test",
				message, Map.of(), Instant.now(), null);
	}

	private static String token(int user) {
		byte[] bytes = new byte[32];
		bytes[0] = (byte) 0x1a;
		bytes[31] = (byte) user;
		bytes[30] = (byte) (user >> 8);
		return HexFormat.of().formatHex(bytes);
	}

	private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
				new ByteArraySerializer());
	}

	private static void send(KafkaProducer<String, byte[]> producer, Topic<DeliverNotification> lane,
			DeliverNotification notification) {
		producer.send(new ProducerRecord<>(lane.name(), notification.key(), lane.codec().encode(notification)));
	}

}
