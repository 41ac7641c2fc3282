package io.herald.systemtests;

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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.Device;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.Topic;
import io.herald.events.Topics;
import io.herald.infra.sandbox.ApnsNotification;
import io.herald.infra.sandbox.FcmMessage;
import io.herald.infra.sandbox.MailMessage;
import io.herald.infra.sandbox.TwilioMessage;
import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
import io.herald.localstack.ProviderSandboxes;
import io.herald.localstack.Service;
import io.herald.localstack.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guarantees 1 and 2 for delivery, with the real service jar: the delivery service is
 * killed with SIGKILL in the middle of 1,000 emails, 1,000 pushes to an iPhone and an
 * Android phone each (APNs and FCM) and 1,000 SMS, started again, and the sandboxes count
 * what arrived.
 *
 * <p>
 * Every message arrives, and every email and push arrives once as the mailbox or device
 * sees it: distinct {@code Message-ID}s, {@code apns-id}s and FCM collapse keys are
 * exactly the 1,000 of each sent. On the wire, a message may be handed over twice only if
 * it was in flight when the process died (the provider accepted it, the ledger never
 * heard): the restarted service finds such a send claimed without an outcome
 * ("ambiguous") and sends it again with the same ids, which devices and mailboxes
 * collapse. So the wire-level repeats are bounded by the ambiguous claims the restarted
 * service counted.
 *
 * <p>
 * SMS has no such id: a repeated text reaches the phone twice. Every SMS arrives at least
 * once, and the repeats are bounded by what was in flight at the kill: no more than the
 * ambiguous SMS claims, and no more than Twilio's in-flight bound
 * ({@value #SMS_MAX_IN_FLIGHT} here) plus one per user whose send had its answer but not
 * yet its ledger record.
 */
class DeliveryCrashIntegrationTests {

	private static final int USERS = 100;

	private static final int PER_USER = 10;

	/**
	 * Twilio's {@code max-in-flight} in this test: small, so that the bound on SMS
	 * repeats means something.
	 */
	private static final int SMS_MAX_IN_FLIGHT = 16;

	private static final Pattern COLLAPSE_KEY = Pattern.compile("\"collapse_key\"\\s*:\\s*\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path data;

	@Test
	void killingTheDeliveryServiceMidBatchLosesNothingAndShowsNothingTwice() throws Exception {
		crashAmid(false);
	}

	@Test
	void killingTheDeliveryServiceAmidSmsSendsEveryTextAtLeastOnce() throws Exception {
		crashAmid(true);
	}

	/**
	 * Kills the delivery service amid emails and pushes, and SMS if {@code withSms}, then
	 * counts.
	 */
	private void crashAmid(boolean withSms) throws Exception {
		LocalStackSettings settings = TestStacks.onFreePorts(this.data, "delivery");
		Service delivery = settings.service("delivery");
		try (LocalStack stack = TestStacks.stack(settings)) {
			// A short lease, so that sends the killed process had claimed are taken over
			// within seconds.
			stack.environment("delivery",
					Map.of("HERALD_DELIVERY_LEDGER_LEASE", "3s", "HERALD_DELIVERY_RETRY_INITIALDELAY", "200ms",
							"HERALD_DELIVERY_TWILIO_PROVIDERS_0_MAXINFLIGHT", Integer.toString(SMS_MAX_IN_FLIGHT)));
			stack.start();
			ProviderSandboxes sandboxes = stack.sandboxes();
			List<DeliverNotification> emails = new ArrayList<>();
			List<DeliverNotification> pushes = new ArrayList<>();
			List<DeliverNotification> texts = new ArrayList<>();
			for (int user = 0; user < USERS; user++) {
				String userId = "crash-" + user;
				Device iphone = new Device(Device.Platform.IOS, token(user), null, Instant.now());
				Device android = new Device(Device.Platform.ANDROID, "crash-android-" + user + ":APA91b", null,
						Instant.now());
				for (int n = 0; n < PER_USER; n++) {
					emails.add(notification(userId, "mail-" + user + "-" + n,
							new ChannelMessage.Email(userId + "@example.com", "Message " + n, "Body " + n, null)));
					pushes.add(notification(userId, "push-" + user + "-" + n,
							new ChannelMessage.Push("Message " + n, "Body " + n, List.of(iphone, android))));
					if (withSms) {
						texts.add(notification(userId, "sms-" + user + "-" + n,
								new ChannelMessage.Sms("+4915112%05d".formatted(user), "sms-" + user + "-" + n)));
					}
				}
			}
			List<String> lanes = List.of(Topics.deliver(Channel.EMAIL, Priority.HIGH.lane()).name(),
					Topics.deliver(Channel.PUSH, Priority.HIGH.lane()).name(),
					Topics.deliver(Channel.SMS, Priority.HIGH.lane()).name());
			awaitLeaders(stack, lanes);
			try (KafkaProducer<String, byte[]> producer = producer(stack)) {
				List<Future<RecordMetadata>> written = new ArrayList<>();
				for (int i = 0; i < emails.size(); i++) {
					written.add(send(producer, Topics.deliver(Channel.EMAIL, Priority.HIGH.lane()), emails.get(i)));
					written.add(send(producer, Topics.deliver(Channel.PUSH, Priority.HIGH.lane()), pushes.get(i)));
					if (withSms) {
						written.add(send(producer, Topics.deliver(Channel.SMS, Priority.HIGH.lane()), texts.get(i)));
					}
				}
				producer.flush();
				// What the test wrote is on the lanes: anything missing later was lost by
				// delivery.
				for (Future<RecordMetadata> record : written) {
					record.get(60, TimeUnit.SECONDS);
				}
			}

			int total = (withSms ? 4 : 3) * USERS * PER_USER;
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(20))
				// Texts go out faster than mail and pushes: with SMS, the kill follows
				// the first 100 texts.
				.until(() -> withSms ? sms(sandboxes).size() >= 100 : received(sandboxes) >= 600);
			int beforeCrash = received(sandboxes);
			int smsBeforeCrash = sms(sandboxes).size();
			assertThat(beforeCrash).as("the crash must come mid-batch").isLessThan(total);
			if (withSms) {
				assertThat(smsBeforeCrash).as("the crash must come amid the SMS").isLessThan(texts.size());
			}
			ServiceProcess restarted = stack.crashAndRestart("delivery");
			stack.awaitReady(Duration.ofSeconds(120));

			Set<String> expectedMail = new HashSet<>();
			emails.forEach((notification) -> expectedMail.add(notification.notificationId()));
			Set<String> expectedPush = new HashSet<>();
			pushes.forEach((notification) -> expectedPush.add(notification.eventId()));
			Set<String> expectedSms = new HashSet<>();
			texts.forEach((notification) -> expectedSms.add(notification.eventId()));
			try {
				await().atMost(Duration.ofSeconds(180))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> mailboxView(sandboxes).equals(expectedMail)
							&& iPhoneView(sandboxes).equals(expectedPush) && androidView(sandboxes).equals(expectedPush)
							&& phoneView(sandboxes).equals(expectedSms));
			}
			catch (ConditionTimeoutException ex) {
				throw new AssertionError(shortfall("emails", expectedMail, mailboxView(sandboxes))
						+ shortfall("iOS pushes", expectedPush, iPhoneView(sandboxes))
						+ shortfall("Android pushes", expectedPush, androidView(sandboxes))
						+ shortfall("SMS", expectedSms, phoneView(sandboxes)) + outcomes(delivery)
						+ whereTheMissingAre(stack, settings, expectedSms, phoneView(sandboxes))
						+ Chaos.logExcerpts(settings.logDirectory()) + restarted.threadDump(), ex);
			}

			List<MailMessage> mail = mail(sandboxes);
			List<ApnsNotification> apns = apns(sandboxes);
			List<FcmMessage> fcm = fcm(sandboxes);
			List<TwilioMessage> sms = sms(sandboxes);
			long distinctMessageIds = mail.stream().map(MailMessage::messageId).distinct().count();
			long distinctApnsIds = apns.stream().map(ApnsNotification::apnsId).distinct().count();
			long distinctCollapseKeys = fcm.stream().map(DeliveryCrashIntegrationTests::collapseKey).distinct().count();
			long distinctTexts = sms.stream().map(TwilioMessage::body).distinct().count();
			assertThat(distinctMessageIds).isEqualTo(emails.size());
			assertThat(distinctApnsIds).isEqualTo(pushes.size());
			assertThat(distinctCollapseKeys).isEqualTo(pushes.size());
			assertThat(distinctTexts).isEqualTo(texts.size());
			long repeats = (mail.size() - distinctMessageIds) + (apns.size() - distinctApnsIds)
					+ (fcm.size() - distinctCollapseKeys);
			long smsRepeats = sms.size() - distinctTexts;
			double ambiguous = ambiguousClaims(delivery, "email") + ambiguousClaims(delivery, "push");
			double ambiguousSms = ambiguousClaims(delivery, "sms");
			System.out.printf("crash test: %d of %d delivered before the kill (%d of %d SMS); email and push: %d "
					+ "wire-level repeats, %s ambiguous claims; SMS: %d texts repeated (the phone shows them twice), "
					+ "%s ambiguous claims, bound %d in flight + %d users%n", beforeCrash, total, smsBeforeCrash,
					texts.size(), repeats, ambiguous, smsRepeats, ambiguousSms, SMS_MAX_IN_FLIGHT, USERS);
			assertThat((double) repeats).isLessThanOrEqualTo(ambiguous);
			assertThat((double) smsRepeats).isLessThanOrEqualTo(ambiguousSms);
			assertThat(smsRepeats).isLessThanOrEqualTo(SMS_MAX_IN_FLIGHT + USERS);
		}
	}

	/**
	 * What a failed run lacks, briefly: a thousand expected ids would bury the logs that
	 * explain it.
	 */
	private static String shortfall(String what, Set<String> expected, Set<String> seen) {
		Set<String> missing = new TreeSet<>(expected);
		missing.removeAll(seen);
		Set<String> unexpected = new TreeSet<>(seen);
		unexpected.removeAll(expected);
		return "%s: %d of %d never arrived, e.g. %s; %d unexpected, e.g. %s%n".formatted(what, missing.size(),
				expected.size(), missing.stream().limit(5).toList(), unexpected.size(),
				unexpected.stream().limit(5).toList());
	}

	/**
	 * Where the missing texts are: the SMS lanes' consumer groups against the end of each
	 * topic, and the ledger records of the users whose texts are missing.
	 */
	private static String whereTheMissingAre(LocalStack stack, LocalStackSettings settings, Set<String> expected,
			Set<String> seen) {
		Set<String> missing = new TreeSet<>(expected);
		missing.removeAll(seen);
		if (missing.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder("Where the missing texts are:\n");
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
			List<String> topics = admin.listTopics()
				.names()
				.get()
				.stream()
				.filter((name) -> name.startsWith("herald.deliver.sms."))
				.toList();
			Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
			Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
			described.values()
				.forEach((description) -> description.partitions()
					.forEach((partition) -> latest.put(new TopicPartition(description.name(), partition.partition()),
							OffsetSpec.latest())));
			Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
			for (Lane lane : Lane.values()) {
				for (boolean retry : List.of(false, true)) {
					String group = "herald-delivery-sms-" + lane.topicSuffix() + (retry ? "-retry" : "");
					Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
						.partitionsToOffsetAndMetadata()
						.get();
					ends.forEach((partition, end) -> {
						OffsetAndMetadata at = committed.get(partition);
						long position = (at != null) ? at.offset() : 0;
						if (end.offset() > position && (retry == partition.topic().contains(Topics.RETRY_SUFFIX))
								&& partition.topic().startsWith(Topics.deliver(Channel.SMS, lane).name())
								&& !partition.topic().endsWith(Topics.deadLetter(""))) {
							out.append("  ")
								.append(group)
								.append(' ')
								.append(partition)
								.append(": committed ")
								.append(position)
								.append(", end ")
								.append(end.offset())
								.append('\n');
						}
					});
				}
			}
			ends.forEach((partition, end) -> {
				if (partition.topic().endsWith(Topics.deadLetter("")) && end.offset() > 0) {
					out.append("  dead letters ").append(partition).append(": ").append(end.offset()).append('\n');
				}
			});
		}
		catch (Exception ex) {
			out.append("  (no offsets: ").append(ex).append(")\n");
		}
		Set<String> users = new TreeSet<>();
		missing.forEach((id) -> users.add("crash-" + id.split("-")[1]));
		for (String user : users.stream().limit(3).toList()) {
			out.append("  ledger of ")
				.append(user)
				.append(": ")
				.append(redisCli(settings, "--scan", "--pattern", "herald:send:{demo:" + user + "}:*").lines()
					.filter((key) -> !key.isBlank())
					.limit(12)
					.map((key) -> key.substring(key.lastIndexOf(':') + 1) + "="
							+ redisCli(settings, "HGETALL", key).replace('\n', ' '))
					.collect(Collectors.joining("; ")))
				.append('\n');
		}
		return out.toString();
	}

	private static String redisCli(LocalStackSettings settings, String... args) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(settings.redisPort())));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(),
					java.nio.charset.StandardCharsets.UTF_8);
			process.waitFor();
			return output.strip();
		}
		catch (IOException ex) {
			return "(redis-cli: " + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(interrupted)";
		}
	}

	/**
	 * The restarted service's counts of what became of requests and of ledger answers.
	 */
	private String outcomes(Service delivery) {
		try {
			String metrics = this.http
				.send(HttpRequest.newBuilder(URI.create(delivery.managementUrl() + "/actuator/prometheus")).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			return metrics.lines()
				.filter((line) -> line.startsWith("herald_delivery_requests_total")
						|| line.startsWith("herald_delivery_ledger_total")
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

	/**
	 * The notifications a mailbox shows: one per Message-ID, named by their notification
	 * id header.
	 */
	private static Set<String> mailboxView(ProviderSandboxes sandboxes) {
		Map<String, String> byMessageId = new java.util.HashMap<>();
		for (MailMessage message : mail(sandboxes)) {
			byMessageId.putIfAbsent(message.messageId(), message.headers().get("X-Herald-Notification-Id"));
		}
		return new HashSet<>(byMessageId.values());
	}

	/**
	 * The notifications an Android phone shows: one per collapse key, named by their
	 * event id.
	 */
	private static Set<String> androidView(ProviderSandboxes sandboxes) {
		Map<String, String> byCollapseKey = new java.util.HashMap<>();
		for (FcmMessage message : fcm(sandboxes)) {
			byCollapseKey.putIfAbsent(collapseKey(message), message.data().getOrDefault("heraldEventId", "?"));
		}
		return new HashSet<>(byCollapseKey.values());
	}

	/**
	 * The texts phones received, each named by its body (its event id), however often it
	 * came.
	 */
	private static Set<String> phoneView(ProviderSandboxes sandboxes) {
		return sms(sandboxes).stream().map(TwilioMessage::body).collect(Collectors.toSet());
	}

	private static String collapseKey(FcmMessage message) {
		Matcher matcher = COLLAPSE_KEY.matcher(message.json());
		return matcher.find() ? matcher.group(1) : "?";
	}

	private static int received(ProviderSandboxes sandboxes) {
		Map<String, List<?>> messages = sandboxes.messages();
		return List.of("email", "sms", "apns", "fcm").stream().mapToInt((kind) -> messages.get(kind).size()).sum();
	}

	/**
	 * The notifications an iPhone shows: one per collapse id, named by their event id.
	 */
	private static Set<String> iPhoneView(ProviderSandboxes sandboxes) {
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
	private static List<FcmMessage> fcm(ProviderSandboxes sandboxes) {
		return (List<FcmMessage>) sandboxes.messages().get("fcm");
	}

	@SuppressWarnings("unchecked")
	private static List<TwilioMessage> sms(ProviderSandboxes sandboxes) {
		return (List<TwilioMessage>) sandboxes.messages().get("sms");
	}

	@SuppressWarnings("unchecked")
	private static List<ApnsNotification> apns(ProviderSandboxes sandboxes) {
		return (List<ApnsNotification>) sandboxes.messages().get("apns");
	}

	/** Sends of a channel the restarted service found claimed without an outcome. */
	private double ambiguousClaims(Service delivery, String channel) throws Exception {
		return ServiceMetrics.sum(ServiceMetrics.scrape(delivery), "herald_delivery_ledger_total",
				Map.of("channel", channel, "answer", "ambiguous"));
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

	/**
	 * Waits until every partition of the lanes has a leader that knows it is one. The
	 * service creates the lanes as it starts; a producer that writes while their
	 * leadership settles gets {@code NOT_LEADER_OR_FOLLOWER}, and its idempotent retries
	 * can then stall on a sequence error until the records expire, which would look like
	 * a loss by delivery.
	 */
	private static void awaitLeaders(LocalStack stack, List<String> topics) {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
				Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
				for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
					for (TopicPartitionInfo partition : topic.partitions()) {
						if (partition.leader() == null) {
							return false;
						}
						ends.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest());
					}
				}
				// Answered by each partition's leader itself: it has taken up its
				// leadership.
				admin.listOffsets(ends).all().get();
				return true;
			});
		}
	}

	private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
				new StringSerializer(), new ByteArraySerializer());
	}

	private static Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer, Topic<DeliverNotification> lane,
			DeliverNotification notification) {
		return producer.send(new ProducerRecord<>(lane.name(), notification.key(), lane.codec().encode(notification)));
	}

}
