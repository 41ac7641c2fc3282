package io.herald.delivery.ledger;

import io.herald.infra.RedisCluster;
import io.herald.infra.SharedInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A claim lists its send in a set of the user's ({@link Listing}) when, and only when, it
 * grants the send, on a real Redis: a send another worker holds, or one made before,
 * lists nothing. On a Redis Cluster the set and the ledger key share the user's slot, so
 * one script reaches both.
 */
class SendLedgerListingIntegrationTests {

	private static final Duration LEASE = Duration.ofMillis(300);

	private static final LedgerProperties PROPERTIES = new LedgerProperties(LEASE, Duration.ofDays(7));

	private static final Duration SET_RETENTION = Duration.ofDays(3);

	private final LettuceConnectionFactory connections = connections(
			new RedisStandaloneConfiguration(SharedInfra.redis().host(), SharedInfra.redis().port()));

	private final String user = "u-" + UUID.randomUUID();

	private final String set = "herald:receipts:{t:" + this.user + "}";

	@AfterEach
	void close() {
		this.connections.destroy();
	}

	@Test
	void aGrantedClaimListsTheSendAndABusyOrDoneOneListsNothing() {
		StringRedisTemplate redis = new StringRedisTemplate(this.connections);
		SendLedger ledger = new SendLedger(redis, PROPERTIES);
		SendLedger other = new SendLedger(redis, PROPERTIES);
		String key = SendLedger.key("t", this.user, "sms-1");

		assertThat(ledger.claim(key, listing("claimed"))).isInstanceOf(Claim.Claimed.class);
		assertThat(other.claim(key, listing("busy"))).isInstanceOf(Claim.Busy.class);
		assertThat(members(redis)).containsExactly("claimed");
		assertThat(redis.getExpire(this.set, TimeUnit.MILLISECONDS))
			.isGreaterThan(SET_RETENTION.minusMinutes(1).toMillis())
			.isLessThanOrEqualTo(SET_RETENTION.toMillis());

		// The worker stopped without a word: once its lease ran out, another takes over.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> other.claim(key, listing("ambiguous")) instanceof Claim.Ambiguous);
		assertThat(members(redis)).containsExactlyInAnyOrder("claimed", "ambiguous");

		other.complete(key, new LedgerOutcome(true, "twilio", "SM1", null));
		assertThat(ledger.claim(key, listing("done"))).isInstanceOf(Claim.Done.class);
		assertThat(members(redis)).containsExactlyInAnyOrder("claimed", "ambiguous");
	}

	@Test
	void aSetOutsideTheUsersHashTagIsRefused() {
		SendLedger ledger = new SendLedger(new StringRedisTemplate(this.connections), PROPERTIES);
		String key = SendLedger.key("t", this.user, "sms-1");

		assertThatIllegalArgumentException().isThrownBy(
				() -> ledger.claim(key, new Listing("herald:receipts:{t:someone-else}", "reference", SET_RETENTION)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ledger.claim(key, new Listing("herald:receipts", "reference", SET_RETENTION)));
	}

	@Test
	void onARedisClusterTheClaimAndItsListingAreInTheUsersSlot() {
		try (RedisCluster cluster = RedisCluster.start(3, false)) {
			LettuceConnectionFactory clustered = connections(
					new RedisClusterConfiguration(Arrays.asList(cluster.seeds().split(","))));
			try {
				StringRedisTemplate redis = new StringRedisTemplate(clustered);
				SendLedger ledger = new SendLedger(redis, PROPERTIES);
				String key = SendLedger.key("t", this.user, "email-1");
				assertThat(slot(cluster, key)).isEqualTo(slot(cluster, this.set));

				assertThat(ledger.claim(key, listing("claimed"))).isInstanceOf(Claim.Claimed.class);

				assertThat(members(redis)).containsExactly("claimed");
			}
			finally {
				clustered.destroy();
			}
		}
	}

	private Listing listing(String member) {
		return new Listing(this.set, member, SET_RETENTION);
	}

	private Set<String> members(StringRedisTemplate redis) {
		return redis.opsForSet().members(this.set);
	}

	private static String slot(RedisCluster cluster, String key) {
		return cluster.primaries().getFirst().call("CLUSTER", "KEYSLOT", key);
	}

	private static LettuceConnectionFactory connections(RedisConfiguration configuration) {
		LettuceConnectionFactory factory = (configuration instanceof RedisClusterConfiguration cluster)
				? new LettuceConnectionFactory(cluster)
				: new LettuceConnectionFactory((RedisStandaloneConfiguration) configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
