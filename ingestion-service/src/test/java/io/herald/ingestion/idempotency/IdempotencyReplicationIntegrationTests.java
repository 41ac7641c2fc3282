package io.herald.ingestion.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.herald.infra.RedisServer;
import io.herald.infra.ReplicatedRedis;
import io.herald.ingestion.ingest.IngestionProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Idempotency claims across a failover to a replica that is behind, on a real Redis
 * primary and replica ({@link ReplicatedRedis}). A request whose claim is new publishes
 * its event; if the promoted replica forgot the claim, the client's retry would be a new
 * claim with a new event id, and the event would be in the log twice under two ids, which
 * no stage can tell apart.
 */
class IdempotencyReplicationIntegrationTests {

	private static final String TENANT = "replication";

	private final ReplicatedRedis redis = ReplicatedRedis.start();

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	@AfterEach
	void stop() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
		this.redis.close();
	}

	@Test
	void withSyncReplicasNoClaimWhoseEventWasPublishedIsForgottenByAFailover() {
		IdempotencyStore store = store(this.redis.primary(), 1);

		// Confirmed by the replica: published, and answered 202.
		assertThat(store.claim(TENANT, "k-published", "e-1")).isEqualTo(new Claim.Owned("e-1"));
		store.settlePublished(TENANT, "k-published", "e-1");

		this.redis.replicaFallsBehind();
		// Not confirmed: nothing is published, the request answers 503.
		assertThatExceptionOfType(TransientDataAccessResourceException.class)
			.isThrownBy(() -> store.claim(TENANT, "k-unconfirmed", "e-2"))
			.withMessageContaining("Only 0 of 1 Redis replicas");

		RedisServer primary = this.redis.failOver();
		this.redis.addReplica();
		IdempotencyStore promoted = store(primary, 1);

		// The retries: the published event keeps its id (routing drops its second copy by
		// that id), and the unconfirmed one is published now, for the first time.
		assertThat(promoted.claim(TENANT, "k-published", "e-3").eventId()).isEqualTo("e-1");
		assertThat(promoted.claim(TENANT, "k-unconfirmed", "e-4")).isEqualTo(new Claim.Owned("e-4"));
	}

	@Test
	void withoutSyncReplicasAFailoverForgetsAClaimAndTheRetryPublishesUnderAnotherId() {
		IdempotencyStore store = store(this.redis.primary(), 0);

		this.redis.replicaFallsBehind();
		assertThat(store.claim(TENANT, "k", "e-1")).isEqualTo(new Claim.Owned("e-1"));
		store.settlePublished(TENANT, "k", "e-1");
		RedisServer primary = this.redis.failOver();

		assertThat(store(primary, 0).claim(TENANT, "k", "e-2")).isEqualTo(new Claim.Owned("e-2"));
	}

	private IdempotencyStore store(RedisServer server, int syncReplicas) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		factory.afterPropertiesSet();
		factory.start();
		this.factories.add(factory);
		IngestionProperties properties = new IngestionProperties(DataSize.ofKilobytes(64), DataSize.ofMegabytes(4), 500,
				10_000, DataSize.ofKilobytes(16), Duration.ofDays(366), Duration.ofSeconds(1), Duration.ofSeconds(5),
				Duration.ofHours(24), syncReplicas, Duration.ofMillis(300));
		return new IdempotencyStore(new StringRedisTemplate(factory), Clock.systemUTC(), properties.idempotency());
	}

}
