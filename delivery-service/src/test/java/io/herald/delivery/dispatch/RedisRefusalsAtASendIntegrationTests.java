package io.herald.delivery.dispatch;

import io.herald.delivery.DeliveryIntegrationTest;
import io.herald.delivery.Lanes;
import io.herald.delivery.receipt.TestReceiptReferences;
import io.herald.delivery.TwilioAccounts;
import io.herald.delivery.ledger.SendLedger;
import io.herald.events.Channel;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.Lane;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.infra.FreePorts;
import io.herald.infra.RedisServer;
import io.herald.infra.SharedInfra;
import io.herald.infra.sandbox.TwilioSandbox;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A text goes out once when Redis refuses a command on its way, before or after the
 * provider. The service runs on a Redis of the test's own, whose ACL refuses the command
 * for a while.
 * <ul>
 * <li>A text whose receipt reference cannot be written ({@code SET}, the reference's
 * command and no other on the way of a send; the claim before it succeeds) is not sent:
 * its ledger claim is given back, its batch fails and is handled again, and the text goes
 * out when the reference can be written.</li>
 * <li>A text the provider took while Redis refused scripts (the ledger's commands) from
 * the moment the Twilio sandbox took it until the batch had failed is not sent again: the
 * ledger could not record its outcome, and the retry finds the outcome this process kept,
 * writes it and reports the text sent, instead of taking its own claim for a
 * crash's.</li>
 * </ul>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class RedisRefusalsAtASendIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** The consumers of the lane the text goes to. */
	private static final String GROUP = LaneConsumers.groupId(Channel.SMS, Lane.PRIORITY, false);

	private static final RedisServer redis = RedisServer.builder().build().start();

	private static final TwilioSandbox twilio = TwilioSandbox.start();

	/**
	 * The API's port, which Twilio calls back, and the actuator's: a defined port leaves
	 * the actuator on its default.
	 */
	private static final List<Integer> PORTS = FreePorts.find(2);

	@Autowired
	private StringRedisTemplate template;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.kafka().bootstrapServers());
		registry.add("spring.data.redis.port", redis::port);
		TwilioAccounts.callbacks(registry, PORTS);
		TwilioAccounts.register(registry, 0, "twilio", twilio);
	}

	@AfterAll
	static void close() {
		twilio.close();
		redis.close();
	}

	@Test
	void aTextWhoseReferenceCannotBeWrittenIsNotSentUntilItCanBe() {
		String user = "u-" + UUID.randomUUID();
		String phone = "+49151" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
		DeliverNotification notification = Lanes.notification(user, "e-1", Priority.HIGH, Lanes.sms(phone));
		String reference = TestReceiptReferences.of(notification);
		String userReferences = "herald:receipts:{" + Lanes.TENANT + ":" + user + "}";
		long failures = DeliveryIntegrationTest.batchFailures(this.meters, GROUP);
		try (Lanes lanes = new Lanes()) {
			redis.call("ACL", "SETUSER", "default", "-set");
			try {
				lanes.deliver(notification);

				// Claimed (the claim listed the reference), then the reference refused.
				await().atMost(TIMEOUT)
					.until(() -> Boolean.TRUE.equals(this.template.opsForSet().isMember(userReferences, reference)));
				await().atMost(TIMEOUT)
					.until(() -> DeliveryIntegrationTest.batchFailures(this.meters, GROUP) > failures);
				assertThat(this.template.hasKey("herald:receipt:" + reference)).isFalse();
				assertThat(twilio.messages()).noneMatch((message) -> message.to().equals(phone));
			}
			finally {
				redis.call("ACL", "SETUSER", "default", "+set");
			}

			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(Lanes.statuses(user)).extracting(StatusReported::state)
					.contains(DeliveryState.SENT));
		}
		assertThat(twilio.messages()).filteredOn((message) -> message.to().equals(phone)).hasSize(1);
		assertThat(this.template.opsForValue().get("herald:receipt:" + reference)).contains(user);
		assertThat(DeliveryIntegrationTest.ledgerAnswers(this.meters, Channel.SMS, "ambiguous"))
			.as("every failed try gave its claim back")
			.isZero();
	}

	@Test
	void aTextTakenWhileRedisMissedItsOutcomeIsNotSentAgain() {
		String user = "u-" + UUID.randomUUID();
		String phone = "+49151" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
		DeliverNotification notification = Lanes.notification(user, "e-1", Priority.HIGH, Lanes.sms(phone));
		long failures = DeliveryIntegrationTest.batchFailures(this.meters, GROUP);
		try (Lanes lanes = new Lanes()) {
			twilio.beforeAnswer((message) -> {
				if (message.to().equals(phone)) {
					redis.call("ACL", "SETUSER", "default", "-evalsha", "-eval");
				}
			});
			try {
				lanes.deliver(notification);

				await().atMost(TIMEOUT)
					.until(() -> DeliveryIntegrationTest.batchFailures(this.meters, GROUP) > failures);
				assertThat(twilio.messages()).filteredOn((message) -> message.to().equals(phone)).hasSize(1);
			}
			finally {
				twilio.beforeAnswer(null);
				redis.call("ACL", "SETUSER", "default", "+evalsha", "+eval");
			}

			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(Lanes.statuses(user)).extracting(StatusReported::state)
					.contains(DeliveryState.SENT));
		}
		assertThat(twilio.messages()).filteredOn((message) -> message.to().equals(phone)).hasSize(1);
		assertThat(redis.call("HGET", SendLedger.key(Lanes.TENANT, user, notification.notificationId()), "state"))
			.isEqualTo("done");
		assertThat(DeliveryIntegrationTest.ledgerAnswers(this.meters, Channel.SMS, "ambiguous"))
			.as("the retry knew the outcome and did not take its own claim for a crash's")
			.isZero();
	}

}
