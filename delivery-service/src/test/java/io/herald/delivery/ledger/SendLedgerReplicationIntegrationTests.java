package io.herald.delivery.ledger;

import java.time.Duration;

import io.herald.infra.RedisServer;
import io.herald.infra.ReplicatedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the send ledger promises across a Redis failover (docs/operations.md), on a real
 * primary and replica: a send whose record the replica has is never sent again; a send
 * whose record the replica lacks is unknown to the promoted replica, so a request read
 * again (after a crash or a rebalance of delivery) sends it again, as after a Redis host
 * crash. The ledger does not wait for the replica (docs/adr/021): its records guard
 * against requests read again, and a batch waiting for them would be read again after the
 * failover more often, not less.
 */
class SendLedgerReplicationIntegrationTests {

	private static final LedgerOutcome SENT = new LedgerOutcome(true, "apns", "apns-id-1", null);

	private final ReplicatedRedis redis = ReplicatedRedis.start();

	private LettuceConnectionFactory primaryConnections;

	private LettuceConnectionFactory promotedConnections;

	@AfterEach
	void stop() {
		if (this.primaryConnections != null) {
			this.primaryConnections.destroy();
		}
		if (this.promotedConnections != null) {
			this.promotedConnections.destroy();
		}
		this.redis.close();
	}

	@Test
	void aSendTheReplicaRecordedIsNotRepeatedAndOneItLackedIsSentAgain() {
		this.primaryConnections = connections(this.redis.primary());
		SendLedger ledger = ledger(this.primaryConnections);
		String replicated = SendLedger.key("t", "u-1", "push-1");
		String lost = SendLedger.key("t", "u-1", "push-2");
		assertThat(ledger.claim(replicated)).isInstanceOf(Claim.Claimed.class);
		ledger.complete(replicated, SENT);
		awaitOnTheReplica(replicated);

		this.redis.replicaFallsBehind();
		assertThat(ledger.claim(lost)).isInstanceOf(Claim.Claimed.class);
		ledger.complete(lost, SENT);
		assertThat(ledger.claim(lost)).isInstanceOf(Claim.Done.class);

		RedisServer promoted = this.redis.failOver();
		this.promotedConnections = connections(promoted);
		SendLedger after = ledger(this.promotedConnections);

		assertThat(after.claim(replicated)).isEqualTo(new Claim.Done(SENT));
		assertThat(after.claim(lost)).as("the record the replica lacked: sent again if its request is read again")
			.isInstanceOf(Claim.Claimed.class);
	}

	private void awaitOnTheReplica(String key) {
		LettuceConnectionFactory factory = connections(this.redis.replica());
		try {
			StringRedisTemplate replica = new StringRedisTemplate(factory);
			await().atMost(Duration.ofSeconds(10)).until(() -> replica.hasKey(key));
		}
		finally {
			factory.destroy();
		}
	}

	private static SendLedger ledger(LettuceConnectionFactory connections) {
		return new SendLedger(new StringRedisTemplate(connections),
				new LedgerProperties(Duration.ofSeconds(30), Duration.ofDays(7)));
	}

	private static LettuceConnectionFactory connections(RedisServer server) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
