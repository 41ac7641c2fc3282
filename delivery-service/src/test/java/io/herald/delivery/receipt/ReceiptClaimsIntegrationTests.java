package io.herald.delivery.receipt;

import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The claims of receipts on a real Redis: a claim is a lease of twice the write timeout
 * until its receipt is recorded, then a mark kept for the retention. A recording that
 * never ended (the process was killed between claim and write) must not make the receipt
 * a duplicate for days.
 */
class ReceiptClaimsIntegrationTests {

	private static final Duration WRITE_TIMEOUT = Duration.ofMillis(100);

	private static final Duration RETENTION = Duration.ofDays(7);

	private final LettuceConnectionFactory connections = connections();

	private final StringRedisTemplate redis = new StringRedisTemplate(this.connections);

	private final ReceiptReferences references = new ReceiptReferences(this.redis,
			new ReceiptProperties(null, RETENTION, WRITE_TIMEOUT), List.of(), Clock.systemUTC());

	private final String reference = UUID.randomUUID().toString().replace("-", "");

	@AfterEach
	void close() {
		this.connections.destroy();
	}

	@Test
	void aClaimWhoseRecordingNeverEndedLapsesAndTheReceiptIsRecordedAgain() {
		assertThat(this.references.claim(this.reference, "outcome")).isTrue();
		assertThat(this.references.claim(this.reference, "outcome")).as("while it is being recorded").isFalse();
		assertThat(ttl()).isPositive().isLessThanOrEqualTo(WRITE_TIMEOUT.multipliedBy(2).toMillis());

		// The process was killed here: no write, no release.
		await().atMost(Duration.ofSeconds(2)).until(() -> this.references.claim(this.reference, "outcome"));
	}

	@Test
	void aRecordedReceiptStaysADuplicateForTheRetention() {
		assertThat(this.references.claim(this.reference, "outcome")).isTrue();
		this.references.recorded(this.reference, "outcome");

		assertThat(ttl()).isGreaterThan(Duration.ofDays(6).toMillis());
		assertThat(this.references.claim(this.reference, "outcome")).isFalse();
		assertThat(this.references.claim(this.reference, "complaint")).as("another kind").isTrue();
	}

	@Test
	void aReleasedClaimLetsTheReceiptBeRecordedAtOnce() {
		assertThat(this.references.claim(this.reference, "outcome")).isTrue();
		this.references.release(this.reference, "outcome");

		assertThat(this.references.claim(this.reference, "outcome")).isTrue();
	}

	private long ttl() {
		return this.redis.getExpire("herald:receipt:" + this.reference + ":outcome", TimeUnit.MILLISECONDS);
	}

	private static LettuceConnectionFactory connections() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(SharedInfra.redis().host(), SharedInfra.redis().port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
