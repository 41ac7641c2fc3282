package io.herald.delivery.ledger;

import io.herald.infra.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

/**
 * An outcome Redis refused stays in the process and reaches Redis once Redis takes it,
 * without another claim of this process: another instance, which the send's lane may have
 * moved to, then finds the send done instead of taking it over after the lease. Redis is
 * the test's own, whose ACL refuses scripts (the ledger's commands) for a while.
 */
class SendLedgerKeptOutcomesIntegrationTests {

	private static final LedgerProperties PROPERTIES = new LedgerProperties(Duration.ofSeconds(30), Duration.ofDays(7));

	private static final RedisServer redis = RedisServer.builder().build().start();

	private final LettuceConnectionFactory connections = LedgerConnections.standalone(redis.port());

	private final StringRedisTemplate template = new StringRedisTemplate(this.connections);

	private final SendLedger ledger = new SendLedger(this.template, PROPERTIES);

	private final SendLedger otherInstance = new SendLedger(this.template, PROPERTIES);

	@AfterEach
	void close() {
		this.ledger.destroy();
		this.otherInstance.destroy();
		this.connections.destroy();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void anOutcomeRedisRefusedIsRecordedOnceRedisTakesItWithoutAnotherClaim() {
		String key = SendLedger.key("t", "u-" + UUID.randomUUID(), "sms-1");
		assertThat(this.ledger.claim(key)).isInstanceOf(Claim.Claimed.class);
		LedgerOutcome sent = new LedgerOutcome(true, "twilio", "SM-1", null);
		redis.call("ACL", "SETUSER", "default", "-evalsha", "-eval");
		try {
			assertThatRuntimeException().isThrownBy(() -> this.ledger.complete(key, sent));
			await().during(SendLedger.RECORD_INTERVAL.multipliedBy(2))
				.atMost(SendLedger.RECORD_INTERVAL.multipliedBy(3))
				.untilAsserted(() -> assertThat(redis.call("HGET", key, "state")).isEqualTo("pending"));
		}
		finally {
			redis.call("ACL", "SETUSER", "default", "+evalsha", "+eval");
		}

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(redis.call("HGET", key, "state")).isEqualTo("done"));
		assertThat(this.otherInstance.claim(key)).isEqualTo(new Claim.Done(sent));
	}

}
