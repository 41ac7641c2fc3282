package io.herald.delivery.ledger;

import io.herald.infra.SharedInfra;
import io.herald.infra.TcpProxy;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A claim and the writes that must precede the provider call (a receipt reference) go to
 * Redis in one round trip, counted by a TCP proxy in front of a real Redis; a failure of
 * those writes gives the claim back. The connections here flush a pipeline once, so that
 * the proxy sees one write per round trip; the service's flush each command of a pipeline
 * as it is added, and wait for no answer in between either.
 */
class SendLedgerRoundTripIntegrationTests {

	private static final LedgerProperties PROPERTIES = new LedgerProperties(Duration.ofSeconds(30), Duration.ofDays(7));

	private final TcpProxy proxy = new TcpProxy(0, SharedInfra.redis().port());

	private final LettuceConnectionFactory connections = connections(this.proxy.port());

	private final StringRedisTemplate redis = new StringRedisTemplate(this.connections);

	private final SendLedger ledger = new SendLedger(this.redis, PROPERTIES);

	private final String user = "u-" + UUID.randomUUID();

	@AfterEach
	void close() {
		this.connections.destroy();
		this.proxy.close();
	}

	@Test
	void aClaimAndTheWritesBesideItTakeOneRoundTrip() {
		// Connected, and the claim's script known to Redis.
		this.ledger.claim(SendLedger.key("t", this.user, "warm-up"), (pipeline) -> {
		});
		String reference = "herald:test-reference:" + this.user;
		long before = this.proxy.requests();

		Claim claim = this.ledger.claim(SendLedger.key("t", this.user, "email-1"), (pipeline) -> {
			pipeline.opsForValue().set(reference, "{\"tenant\":\"t\"}", Duration.ofMinutes(1));
			pipeline.opsForSet().add(reference + ":index", "email-1");
		});

		assertThat(this.proxy.requests() - before).isEqualTo(1);
		assertThat(claim).isInstanceOf(Claim.Claimed.class);
		// What it replaces: the claim, then the reference's write.
		before = this.proxy.requests();
		this.ledger.claim(SendLedger.key("t", this.user, "email-2"));
		this.redis.opsForValue().set(reference, "{\"tenant\":\"t\"}", Duration.ofMinutes(1));
		assertThat(this.proxy.requests() - before).isEqualTo(2);
		assertThat(this.redis.opsForValue().get(reference)).isEqualTo("{\"tenant\":\"t\"}");
		assertThat(this.redis.opsForSet().members(reference + ":index")).containsExactly("email-1");
	}

	@Test
	void everyAnswerOfTheClaimComesBackBesideTheWrites() {
		String key = SendLedger.key("t", this.user, "sms-1");
		SendLedger other = new SendLedger(this.redis, PROPERTIES);
		assertThat(this.ledger.claim(key, (pipeline) -> {
		})).isInstanceOf(Claim.Claimed.class);
		assertThat(other.claim(key, (pipeline) -> {
		})).isInstanceOf(Claim.Busy.class);
		LedgerOutcome outcome = new LedgerOutcome(true, "twilio", "SM1", null);
		this.ledger.complete(key, outcome);

		assertThat(other.claim(key, (pipeline) -> {
		})).isEqualTo(new Claim.Done(outcome));
	}

	@Test
	void aRedisThatLostTheScriptRunsTheWholePipelineAgain() {
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			connection.scriptingCommands().scriptFlush();
			return null;
		});
		String reference = "herald:test-reference:" + this.user;

		Claim claim = this.ledger.claim(SendLedger.key("t", this.user, "email-2"),
				(pipeline) -> pipeline.opsForValue().set(reference, "r", Duration.ofMinutes(1)));

		assertThat(claim).isInstanceOf(Claim.Claimed.class);
		assertThat(this.redis.opsForValue().get(reference)).isEqualTo("r");
	}

	@Test
	void aFailedWriteBesideTheClaimGivesTheClaimBack() {
		String key = SendLedger.key("t", this.user, "email-3");
		String notASet = "herald:test-string:" + this.user;
		this.redis.opsForValue().set(notASet, "x", Duration.ofMinutes(1));

		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.ledger.claim(key, (pipeline) -> pipeline.opsForSet().add(notASet, "member")));

		assertThat(new SendLedger(this.redis, PROPERTIES).claim(key)).as("not busy: given back")
			.isInstanceOf(Claim.Claimed.class);
	}

	private static LettuceConnectionFactory connections(int port) {
		// Pooled as the service's are: a pipeline borrows a connection.
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port),
				LettucePoolingClientConfiguration.builder().poolConfig(new GenericObjectPoolConfig<>()).build());
		factory.setPipeliningFlushPolicy(LettuceConnection.PipeliningFlushPolicy.flushOnClose());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
