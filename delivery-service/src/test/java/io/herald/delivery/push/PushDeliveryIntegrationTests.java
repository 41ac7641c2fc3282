package io.herald.delivery.push;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.Device;
import io.herald.events.EventCancelled;
import io.herald.events.HeaderNames;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.sandbox.ApnsFailure;
import io.herald.infra.sandbox.ApnsNotification;
import io.herald.infra.sandbox.ApnsSandbox;
import io.herald.infra.sandbox.FcmMessage;
import io.herald.infra.sandbox.FcmSandbox;
import io.herald.infra.sandbox.TwilioMessage;
import io.herald.infra.sandbox.TwilioSandbox;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.herald.delivery.Lanes.device;
import static io.herald.delivery.Lanes.notification;
import static io.herald.delivery.Lanes.push;
import static io.herald.delivery.Lanes.sms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Push end to end: iOS devices through pushy to a local APNs (HTTP/2, TLS, token
 * authentication), Android and web devices through firebase-admin to a local FCM; dead
 * tokens, retries, the critical fallback to SMS, cancelled events, and trace context.
 */
class PushDeliveryIntegrationTests extends DeliveryIntegrationTest {

	private static final ApnsSandbox apns = ApnsSandbox.start();

	private static final FcmSandbox fcm = FcmSandbox.start();

	private static final TwilioSandbox twilio = TwilioSandbox.start();

	@TempDir
	static Path files;

	@Autowired
	private StringRedisTemplate redis;

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		List<Path> written = apns.writeFiles(files);
		registry.add("herald.delivery.apns.providers[0].host", apns::host);
		registry.add("herald.delivery.apns.providers[0].port", apns::port);
		registry.add("herald.delivery.apns.providers[0].topic", () -> "io.herald.demo");
		registry.add("herald.delivery.apns.providers[0].trusted-server-certificate", () -> written.get(0).toString());
		registry.add("herald.delivery.apns.providers[0].signing-key", () -> written.get(1).toString());
		registry.add("herald.delivery.apns.providers[0].team-id", () -> ApnsSandbox.TEAM_ID);
		registry.add("herald.delivery.apns.providers[0].key-id", () -> ApnsSandbox.KEY_ID);
		registry.add("herald.delivery.fcm.providers[0].project-id", () -> "herald-sandbox");
		registry.add("herald.delivery.fcm.providers[0].access-token", () -> "sandbox");
		registry.add("herald.delivery.fcm.providers[0].root-url", fcm::baseUrl);
		registry.add("herald.delivery.twilio.providers[0].account-sid", twilio::accountSid);
		registry.add("herald.delivery.twilio.providers[0].auth-token", () -> TwilioSandbox.DEFAULT_AUTH_TOKEN);
		registry.add("herald.delivery.twilio.providers[0].from", () -> "+15005550006");
		registry.add("herald.delivery.twilio.providers[0].base-url", twilio::baseUrl);
	}

	@AfterAll
	static void stopSandboxes() {
		apns.close();
		fcm.close();
		twilio.close();
	}

	@AfterEach
	void clearFailures() {
		apns.clearFailures();
		fcm.clearFailures();
	}

	@Test
	void everyDeviceGetsThePushThroughItsPlatformsProvider() {
		Device iphone = device(Device.Platform.IOS, hexToken());
		Device pixel = device(Device.Platform.ANDROID, "android-" + this.user);
		Device browser = device(Device.Platform.WEB, "web-" + this.user);
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, push(iphone, pixel, browser)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(3));
		assertThat(apns(iphone)).singleElement().satisfies((notification) -> {
			assertThat(notification.title()).isEqualTo("Your order shipped");
			assertThat(notification.body()).isEqualTo("Order 981 is on its way");
			assertThat(notification.topic()).isEqualTo("io.herald.demo");
			assertThat(notification.priority()).isEqualTo("10");
			assertThat(notification.collapseId()).isEqualTo(notification.apnsId());
			assertThat(notification.payload()).contains("\"heraldEventId\":\"e-1\"").contains("\"orderId\":\"981\"");
		});
		assertThat(fcm(pixel)).singleElement().satisfies((message) -> {
			assertThat(message.title()).isEqualTo("Your order shipped");
			assertThat(message.data()).containsEntry("orderId", "981").containsEntry("heraldEventId", "e-1");
			assertThat(message.json()).contains("\"collapse_key\"").contains("\"priority\":\"high\"");
		});
		assertThat(fcm(browser)).hasSize(1);
		assertThat(sent()).extracting(StatusReported::device)
			.containsExactlyInAnyOrder(iphone.label(), pixel.label(), browser.label());
		assertThat(sent()).filteredOn((status) -> iphone.label().equals(status.device()))
			.singleElement()
			.extracting(StatusReported::providerId)
			.isEqualTo(apns(iphone).get(0).apnsId());
	}

	@Test
	void aRedeliveredPushReachesNoDeviceTwice() {
		Device iphone = device(Device.Platform.IOS, hexToken());
		DeliverNotification notification = notification(this.user, "e-1", Priority.NORMAL, push(iphone));
		lanes.deliver(notification);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(1));

		lanes.deliver(notification);

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(2));
		assertThat(apns(iphone)).hasSize(1);
	}

	@Test
	void deadTokensFailForGoodAndAskRoutingToForgetTheDevice() {
		Device iphone = device(Device.Platform.IOS, ApnsSandbox.DEAD_TOKEN_PREFIX + hexToken().substring(4));
		Device pixel = device(Device.Platform.ANDROID, FcmSandbox.DEAD_TOKEN_PREFIX + this.user);
		Device badlyFormed = device(Device.Platform.IOS, "not-a-token-" + this.user);
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, push(iphone, pixel, badlyFormed)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.commands(this.user)).hasSize(3));
		assertThat(Lanes.commands(this.user))
			.allSatisfy((command) -> assertThat(command).isInstanceOf(UserCommand.RemoveDevice.class))
			.extracting((command) -> ((UserCommand.RemoveDevice) command).token())
			.containsExactlyInAnyOrder(iphone.token(), pixel.token(), badlyFormed.token());
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.filteredOn((status) -> status.state() == DeliveryState.FAILED)
				.extracting(StatusReported::reason)
				.containsExactlyInAnyOrder("unregistered", "unregistered", "bad_device_token"));
		assertThat(Lanes.records(Topics.retry(Topics.deliver(Channel.PUSH, Lane.PRIORITY), 1), this.user)).isEmpty();
	}

	@Test
	void anApnsOutageIsRetriedUntilTheDeviceHasItOnce() {
		Device iphone = device(Device.Platform.IOS, hexToken());
		apns.failNext(1, ApnsFailure.SERVICE_UNAVAILABLE);
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, push(iphone)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(apns(iphone)).hasSize(1));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(1));
		assertThat(Lanes.records(Topics.retry(Topics.deliver(Channel.PUSH, Lane.PRIORITY), 1), this.user)).hasSize(1);
	}

	@Test
	void aCriticalPushFallsBackToSmsAtOnceWhenApnsIsDown() {
		apns.failUntilCleared(ApnsFailure.SERVICE_UNAVAILABLE);
		String phone = phone();
		Device iphone = device(Device.Platform.IOS, hexToken());
		lanes.deliver(
				notification(this.user, "e-1", Priority.CRITICAL, push(iphone)).withFallbacks(List.of(sms(phone))));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(twilio(phone)).hasSize(1));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.statuses(this.user)).anySatisfy((status) -> {
			assertThat(status.channel()).isEqualTo(Channel.PUSH);
			assertThat(status.state()).isEqualTo(DeliveryState.FAILED);
			assertThat(status.reason()).isEqualTo("fell_back_to_sms");
		}).anySatisfy((status) -> {
			assertThat(status.channel()).isEqualTo(Channel.SMS);
			assertThat(status.state()).isEqualTo(DeliveryState.SENT);
		}));
		assertThat(apns(iphone)).isEmpty();
	}

	@Test
	void aNonCriticalPushWaitsForApnsInsteadOfFallingBack() {
		apns.failUntilCleared(ApnsFailure.SERVICE_UNAVAILABLE);
		String phone = phone();
		Device iphone = device(Device.Platform.IOS, hexToken());
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, push(iphone)).withFallbacks(List.of(sms(phone))));

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(
					Lanes.records(Topics.retry(Topics.deliver(Channel.PUSH, Lane.PRIORITY), 1), this.user))
				.isNotEmpty());
		apns.clearFailures();

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(apns(iphone)).hasSize(1));
		assertThat(twilio(phone)).isEmpty();
	}

	@Test
	void statusRecordsContinueTheTraceOfTheirRequestWithTheSpanOfTheirSend() throws Exception {
		String traceId = HexFormat.of().formatHex(randomBytes(16));
		String parentId = HexFormat.of().formatHex(randomBytes(8));
		String traceparent = "00-" + traceId + "-" + parentId + "-01";
		Device pixel = device(Device.Platform.ANDROID, "android-" + this.user);
		DeliverNotification notification = notification(this.user, "e-1", Priority.HIGH, push(pixel));
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer())) {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(
					Topics.deliver(Channel.PUSH, Lane.PRIORITY).name(), notification.key(),
					Topics.deliver(Channel.PUSH, Lane.PRIORITY).codec().encode(notification));
			record.headers().add(HeaderNames.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
			producer.send(record).get();
		}

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(
					io.herald.infra.TopicContents.readAll(SharedInfra.kafka().bootstrapServers(), Topics.STATUS.name())
						.stream()
						.filter((record) -> record.key().equals(Lanes.TENANT + "|e-1"))
						.filter((record) -> new String(record.value(), StandardCharsets.UTF_8).contains(this.user))
						.map((record) -> Lanes.header(record, HeaderNames.TRACEPARENT))
						.toList())
				.isNotEmpty()
				.allSatisfy((header) -> assertThat(header).matches("00-" + traceId + "-[0-9a-f]{16}-01")
					.doesNotContain(parentId)));
	}

	@Test
	void aSendTheLedgerRecordsStaysSentWhenItsEventIsCancelledAndOnlyTheUnsentOneIsCancelled() {
		String eventId = "e-" + UUID.randomUUID();
		Device iphone = device(Device.Platform.IOS, hexToken());
		Device pixel = device(Device.Platform.ANDROID, "android-" + this.user);
		lanes.deliver(notification(this.user, eventId, Priority.HIGH, push(iphone)));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(1));
		cancel(eventId);

		// The request read again, as after a crash before its offset was committed, now
		// with a second device that the first read did not have.
		lanes.deliver(notification(this.user, eventId, Priority.HIGH, push(iphone, pixel)));

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.statuses(this.user)).anySatisfy((status) -> {
			assertThat(status.device()).isEqualTo(pixel.label());
			assertThat(status.state()).isEqualTo(DeliveryState.CANCELLED);
			assertThat(status.reason()).isEqualTo(EventCancelled.BY_API);
		}));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(2));
		// The iPhone had it: it is reported sent again, with the provider's id, and never
		// cancelled.
		assertThat(Lanes.statuses(this.user)).filteredOn((status) -> iphone.label().equals(status.device()))
			.extracting(StatusReported::state)
			.containsExactly(DeliveryState.SENT, DeliveryState.SENT);
		assertThat(sent()).extracting(StatusReported::providerId).containsOnly(apns(iphone).get(0).apnsId());
		assertThat(apns(iphone)).hasSize(1);
		assertThat(fcm(pixel)).isEmpty();
		assertThat(this.redis.keys("herald:send:{" + Lanes.TENANT + ":" + this.user + "}:*"))
			.as("the cancelled send's claim is given back")
			.hasSize(1);
	}

	@Test
	void aBatchReadsTheCancellationMarksOfItsEventsWithOneMgetAndNoGetPerRequest() {
		List<DeliverNotification> requests = new ArrayList<>();
		List<String> kept = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String eventId = "e-" + UUID.randomUUID();
			if (i % 2 == 0) {
				cancel(eventId);
			}
			else {
				kept.add(eventId);
			}
			requests.add(notification(this.user, eventId, Priority.HIGH,
					push(device(Device.Platform.ANDROID, "android-" + i + "-" + this.user))));
		}
		long gets = calls("get");
		long mgets = calls("mget");

		lanes.deliverAll(requests);

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.filteredOn((status) -> status.state() == DeliveryState.CANCELLED)
				.hasSize(10));
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sent()).hasSize(10));
		assertThat(calls("get")).as("GET calls").isEqualTo(gets);
		assertThat(calls("mget") - mgets).as("MGET calls").isBetween(1L, (long) requests.size() - 1);
		assertThat(sent()).extracting(StatusReported::eventId).containsExactlyInAnyOrderElementsOf(kept);
	}

	/** Marks an event cancelled as the cancellation API does. */
	private void cancel(String eventId) {
		this.redis.opsForValue()
			.set(EventCancelled.redisKey(Lanes.TENANT, eventId), EventCancelled.BY_API, Duration.ofMinutes(5));
	}

	/**
	 * How many times Redis ran a command since its start, from {@code INFO commandstats}.
	 */
	private long calls(String command) {
		Properties stats = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String line = (stats != null) ? stats.getProperty("cmdstat_" + command) : null;
		if (line == null) {
			return 0;
		}
		for (String field : line.split(",")) {
			if (field.startsWith("calls=")) {
				return Long.parseLong(field.substring("calls=".length()));
			}
		}
		return 0;
	}

	private List<StatusReported> sent() {
		return Lanes.statuses(this.user).stream().filter((status) -> status.state() == DeliveryState.SENT).toList();
	}

	private static List<ApnsNotification> apns(Device device) {
		return apns.notifications()
			.stream()
			.filter((notification) -> notification.token().equals(device.token()))
			.toList();
	}

	private static List<FcmMessage> fcm(Device device) {
		return fcm.messages().stream().filter((message) -> message.token().equals(device.token())).toList();
	}

	private static List<TwilioMessage> twilio(String phone) {
		return twilio.messages().stream().filter((message) -> message.to().equals(phone)).toList();
	}

	private static String hexToken() {
		return HexFormat.of().formatHex(randomBytes(32));
	}

	private static String phone() {
		return "+49151" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
	}

	private static byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

}
