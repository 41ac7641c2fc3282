package io.herald.delivery.sms;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.delivery.TwilioAccounts;
import io.herald.delivery.ledger.SendLedger;
import io.herald.delivery.receipt.TestReceiptReferences;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.infra.FreePorts;
import io.herald.infra.sandbox.TwilioCallback;
import io.herald.infra.sandbox.TwilioDeliveryFailure;
import io.herald.infra.sandbox.TwilioSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static io.herald.delivery.Lanes.notification;
import static io.herald.delivery.Lanes.sms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Twilio's status callbacks end to end: the Twilio sandbox calls the delivery service
 * back at the URL each message asked for, signed as Twilio signs, and the receipts move
 * deliveries from {@code sent} to {@code delivered} or {@code failed}. The service runs
 * on a port chosen before it starts, so that its public base URL is known to it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class SmsReceiptsIntegrationTests extends DeliveryIntegrationTest {

	private static final TwilioSandbox twilio = TwilioSandbox.start();

	/**
	 * The API's port and the actuator's: a defined port leaves the actuator on its
	 * default.
	 */
	private static final List<Integer> PORTS = FreePorts.find(2);

	private static final int PORT = PORTS.get(0);

	private static final HttpClient http = HttpClient.newHttpClient();

	private String phone;

	@Autowired
	private StringRedisTemplate redis;

	@DynamicPropertySource
	static void receiptSettings(DynamicPropertyRegistry registry) {
		TwilioAccounts.callbacks(registry, PORTS);
		TwilioAccounts.register(registry, 0, "twilio-receipts", twilio);
	}

	@AfterAll
	static void stopSandbox() {
		twilio.close();
		http.close();
	}

	@BeforeEach
	void newPhone() {
		this.phone = "+49151" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
	}

	@AfterEach
	void clearFailures() {
		twilio.clearFailures();
	}

	@Test
	void aDeliveredCallbackMovesTheSmsFromSentToDelivered() {
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));

		StatusReported delivered = awaitState(DeliveryState.DELIVERED);
		String sid = sidOf(this.phone);
		assertThat(delivered.providerId()).isEqualTo(sid);
		assertThat(delivered.reason()).isNull();
		assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state)
			.containsExactlyInAnyOrder(DeliveryState.SENT, DeliveryState.DELIVERED);
		assertThat(callbacksOf(sid)).extracting(TwilioCallback::answer).containsOnly(204);
	}

	@Test
	void anUndeliveredCallbackFailsTheSmsWithTheReasonOfItsErrorCodeAndSuppressesTheNumber() {
		String undeliverable = TwilioSandbox.UNDELIVERABLE_NUMBER_PREFIX + suffix();
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(undeliverable)));

		StatusReported failed = awaitState(DeliveryState.FAILED);
		assertThat(failed.reason()).isEqualTo("unknown_destination");
		assertThat(callbacksOf(sidOf(undeliverable))).extracting(TwilioCallback::status)
			.containsExactly("sent", "undelivered");
		StatusReported sent = awaitState(DeliveryState.SENT);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).singleElement().satisfies((command) -> {
				assertThat(command.address()).isEqualTo(undeliverable);
				assertThat(command.reason()).isEqualTo(SuppressionReason.INVALID_NUMBER);
				// The evidence is the send, which an operator's later lift outranks.
				assertThat(command.evidenceAt()).isNotNull().isBeforeOrEqualTo(sent.at());
				assertThat(command.schemaVersion()).isEqualTo(UserCommand.CONDITIONAL_SCHEMA_VERSION);
			}));
	}

	@Test
	void aReceiptOfAnErasedUserIsDroppedAndCountedNotRecorded() {
		String undeliverable = TwilioSandbox.UNDELIVERABLE_NUMBER_PREFIX + suffix();
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(undeliverable)));
		awaitState(DeliveryState.FAILED);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Lanes.suppressions(this.user)).hasSize(1));
		TwilioCallback undelivered = callbacksOf(sidOf(undeliverable)).get(1);
		String reference = undelivered.url().substring(undelivered.url().lastIndexOf('/') + 1);
		String userReferences = userReferences();
		assertThat(this.redis.opsForSet().members(userReferences)).containsExactly(reference);
		assertThat(this.redis.opsForValue().get("herald:receipt:" + reference)).contains(this.user);

		lanes.send(Topics.USER_COMMANDS.name(), Lanes.TENANT + "|" + this.user, Topics.USER_COMMANDS.codec()
			.encode(new UserCommand.EraseUser(UserCommand.SCHEMA_VERSION, Lanes.TENANT, this.user, Instant.now())));

		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(this.redis.opsForValue().get("herald:receipt:" + reference)).isEqualTo("erased"));
		assertThat(this.redis.hasKey(userReferences)).isFalse();
		assertThat(this.redis.hasKey("herald:receipt:" + reference + ":outcome")).isFalse();
		assertThat(this.redis.getExpire("herald:receipt:" + reference)).as("kept for the rest of its retention")
			.isPositive();
		double erased = receipts("twilio-receipts", "erased");

		assertThat(twilio.replay(undelivered)).isEqualTo(204);

		assertThat(receipts("twilio-receipts", "erased")).isEqualTo(erased + 1);
		assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state)
			.containsExactlyInAnyOrder(DeliveryState.SENT, DeliveryState.FAILED);
		assertThat(Lanes.suppressions(this.user)).hasSize(1);
	}

	@Test
	void aRedeliveredRequestLeavesItsReceiptReferenceAsItWas() {
		DeliverNotification notification = notification(this.user, "e-1", Priority.HIGH, sms(this.phone));
		lanes.deliver(notification);
		awaitState(DeliveryState.DELIVERED);
		String reference = TestReceiptReferences.of(notification);
		String target = this.redis.opsForValue().get("herald:receipt:" + reference);
		assertThat(target).contains(this.user).contains("\"sentAt\"");
		double done = ledgerAnswers(Channel.SMS, "done");

		lanes.deliver(notification);

		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(Lanes.statuses(this.user))
				.filteredOn((status) -> status.state() == DeliveryState.SENT)
				.hasSize(2));
		assertThat(ledgerAnswers(Channel.SMS, "done")).isEqualTo(done + 1);
		assertThat(this.redis.opsForValue().get("herald:receipt:" + reference))
			.as("the time of the send made, not of the request read again")
			.isEqualTo(target);
		assertThat(this.redis.opsForSet().members(userReferences())).containsExactly(reference);
		assertThat(twilio.messages()).filteredOn((message) -> message.to().equals(this.phone)).hasSize(1);
	}

	@Test
	void aSendAnotherWorkerHoldsGetsItsReferenceOnlyOnceItsClaimIsGranted() {
		DeliverNotification notification = notification(this.user, "e-1", Priority.HIGH, sms(this.phone));
		String ledgerKey = SendLedger.key(Lanes.TENANT, this.user, notification.notificationId());
		String reference = TestReceiptReferences.of(notification);
		// Another worker claimed it, with a lease that outlasts the checks below: the
		// request is postponed until the lease ends.
		this.redis.opsForHash()
			.putAll(ledgerKey, Map.of("state", "pending", "owner", "another-worker", "until",
					Long.toString(System.currentTimeMillis() + Duration.ofSeconds(5).toMillis())));
		double busy = ledgerAnswers(Channel.SMS, "busy");
		double ambiguous = ledgerAnswers(Channel.SMS, "ambiguous");

		lanes.deliver(notification);

		await().atMost(TIMEOUT).until(() -> ledgerAnswers(Channel.SMS, "busy") > busy);
		assertThat(this.redis.hasKey("herald:receipt:" + reference)).isFalse();
		assertThat(this.redis.hasKey(userReferences())).isFalse();
		assertThat(twilio.messages()).noneMatch((message) -> message.to().equals(this.phone));

		// The other worker stopped: its lease ends now, and the retry takes the send
		// over.
		this.redis.opsForHash().put(ledgerKey, "until", "0");

		awaitState(DeliveryState.DELIVERED);
		assertThat(ledgerAnswers(Channel.SMS, "ambiguous")).isEqualTo(ambiguous + 1);
		assertThat(this.redis.opsForSet().members(userReferences())).containsExactly(reference);
		assertThat(this.redis.opsForValue().get("herald:receipt:" + reference)).contains(this.user);
	}

	@Test
	void plannedDeliveryFailuresAreReportedWithTheirCodes() {
		twilio.failDeliveryNext(1, TwilioDeliveryFailure.LANDLINE);
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));

		assertThat(awaitState(DeliveryState.FAILED).reason()).isEqualTo("landline");
	}

	@Test
	void aRepeatedOrLateCallbackChangesNothing() {
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));
		awaitState(DeliveryState.DELIVERED);
		List<TwilioCallback> callbacks = callbacksOf(sidOf(this.phone));
		double duplicates = receipts("twilio-receipts", "duplicate");

		assertThat(twilio.replay(callbacks.get(1))).isEqualTo(204);
		assertThat(twilio.replay(callbacks.get(0))).isEqualTo(204);

		assertThat(receipts("twilio-receipts", "duplicate")).isEqualTo(duplicates + 1);
		assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state)
			.containsExactlyInAnyOrder(DeliveryState.SENT, DeliveryState.DELIVERED);
		assertThat(Lanes.commands(this.user)).isEmpty();
	}

	@Test
	void aForgedSignatureIsRefusedAndRecordsNothing() throws Exception {
		lanes.deliver(notification(this.user, "e-1", Priority.HIGH, sms(this.phone)));
		awaitState(DeliveryState.DELIVERED);
		TwilioCallback genuine = callbacksOf(sidOf(this.phone)).get(1);
		Map<String, String> forged = new LinkedHashMap<>(genuine.params());
		forged.put("MessageStatus", "undelivered");
		forged.put("ErrorCode", "30005");

		assertThat(post(genuine.url(), forged, genuine.signature()).statusCode()).isEqualTo(403);
		assertThat(post(genuine.url(), forged, TwilioSandbox.signature("not-the-token", genuine.url(), forged))
			.statusCode()).isEqualTo(403);
		assertThat(post(genuine.url(), forged, null).statusCode()).isEqualTo(403);
		String otherDelivery = genuine.url().substring(0, genuine.url().lastIndexOf('/') + 1) + "0".repeat(32);
		assertThat(post(otherDelivery, genuine.params(), genuine.signature()).statusCode()).isEqualTo(403);

		assertThat(Lanes.statuses(this.user)).extracting(StatusReported::state)
			.containsExactlyInAnyOrder(DeliveryState.SENT, DeliveryState.DELIVERED);
		assertThat(receipts("twilio-receipts", "refused_signature")).isGreaterThanOrEqualTo(4);
	}

	@Test
	void aMalformedCallbackIsABadRequest() throws Exception {
		String url = "http://127.0.0.1:" + PORT + TwilioStatusCallbacks.PATH + "twilio-receipts/" + "a".repeat(32);
		Map<String, String> noStatus = Map.of("MessageSid", "SM" + "0".repeat(32), "AccountSid", twilio.accountSid());
		Map<String, String> badSid = Map.of("MessageSid", "SM'; drop", "MessageStatus", "delivered", "AccountSid",
				twilio.accountSid());

		assertThat(post(url, noStatus, sign(url, noStatus)).statusCode()).isEqualTo(400);
		assertThat(post(url, badSid, sign(url, badSid)).statusCode()).isEqualTo(400);
		HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.header("X-Twilio-Signature", sign(url, Map.of()))
			.POST(HttpRequest.BodyPublishers.ofString("{\"MessageStatus\": \"delivered\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(json.statusCode()).isEqualTo(400);
		assertThat(json.body()).contains("invalid_request");
		HttpResponse<String> huge = post(url, Map.of("Body", "x".repeat(64 * 1024)), "x");
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(post(url.replace("twilio-receipts", "no-such-account"), noStatus, "x").statusCode()).isEqualTo(404);
	}

	@Test
	void aSignedCallbackForAnUnknownReferenceIsCountedAndChangesNothing() throws Exception {
		String url = "http://127.0.0.1:" + PORT + TwilioStatusCallbacks.PATH + "twilio-receipts/" + "b".repeat(32);
		Map<String, String> params = Map.of("MessageSid", "SM" + "1".repeat(32), "MessageStatus", "delivered",
				"AccountSid", twilio.accountSid());
		double unknown = receipts("twilio-receipts", "unknown_message");

		assertThat(post(url, params, sign(url, params)).statusCode()).isEqualTo(204);

		assertThat(receipts("twilio-receipts", "unknown_message")).isEqualTo(unknown + 1);
	}

	private String userReferences() {
		return "herald:receipts:{" + Lanes.TENANT + ":" + this.user + "}";
	}

	private static String sidOf(String phone) {
		return twilio.messages()
			.stream()
			.filter((message) -> message.to().equals(phone))
			.findFirst()
			.orElseThrow()
			.sid();
	}

	private static List<TwilioCallback> callbacksOf(String sid) {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(twilio.callbacks()).filteredOn((callback) -> callback.sid().equals(sid))
				.hasSize(2));
		return twilio.callbacks().stream().filter((callback) -> callback.sid().equals(sid)).toList();
	}

	private static String sign(String url, Map<String, String> params) {
		return TwilioSandbox.signature(TwilioSandbox.DEFAULT_AUTH_TOKEN, url, params);
	}

	private static HttpResponse<String> post(String url, Map<String, String> params, String signature)
			throws Exception {
		String form = params.entrySet()
			.stream()
			.map((param) -> URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/x-www-form-urlencoded");
		if (signature != null) {
			request.header("X-Twilio-Signature", signature);
		}
		return http.send(request.POST(HttpRequest.BodyPublishers.ofString(form)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String suffix() {
		return Integer.toString(1000 + ThreadLocalRandom.current().nextInt(8999));
	}

}
