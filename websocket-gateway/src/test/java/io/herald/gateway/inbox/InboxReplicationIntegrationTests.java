package io.herald.gateway.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.herald.infra.RedisServer;
import io.herald.infra.ReplicatedRedis;
import io.herald.support.metrics.Funnel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A failover to a replica that is behind, on a real Redis primary and replica: the
 * primary takes appends that never reach the replica (its process is stopped), the
 * primary dies, and the replica is promoted the way Sentinel or a managed Redis promotes
 * it ({@code REPLICAOF NO ONE}). The writer then talks to the promoted replica, as a
 * client that finds the primary through Sentinel does, and the batch that failed is read
 * again from its lane and appended again.
 *
 * <p>
 * With {@code sync-replicas} 1, no notification is shown before the replica has it, so
 * nothing a client saw is lost and no seq goes to two notifications; the promoted primary
 * shows nothing new until a replica of its own has it. Without it, the same failover
 * hands a seq that a client has already seen to another notification, which that client
 * would then drop: the silent hole the setting closes (docs/adr/021).
 */
class InboxReplicationIntegrationTests {

	private static final String TENANT = "replication";

	private static final String USER = "u-1";

	private static final Duration PATIENT = Duration.ofSeconds(10);

	private static final Duration IMPATIENT = Duration.ofMillis(300);

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final GatewayNode node = new GatewayNode();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** The live messages this node's sessions got: seq and notification id, in order. */
	private final List<Map.Entry<Long, String>> shown = new CopyOnWriteArrayList<>();

	private final ReplicatedRedis redis = ReplicatedRedis.start();

	@AfterEach
	void stop() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
		this.redis.close();
	}

	@Test
	void withSyncReplicasAFailoverToAReplicaThatIsBehindLosesNothingShownAndReusesNoSeq() throws Exception {
		StringRedisTemplate first = template(this.redis.primary());
		InboxStore store = store(first, 1, PATIENT);
		present(template(this.redis.primary()));

		assertThat(seqs(store.append(appends("n1", "n2", "n3")))).containsExactly(1L, 2L, 3L);
		assertThat(this.shown).extracting(Map.Entry::getKey).containsExactly(1L, 2L, 3L);
		assertThat(replication("replicated")).isEqualTo(1.0);

		// The replica stops taking anything: the next batch is on the primary alone.
		this.redis.replicaFallsBehind();
		assertThatExceptionOfType(TransientDataAccessResourceException.class)
			.isThrownBy(() -> store(first, 1, IMPATIENT).append(appends("n4", "n5")))
			.withMessageContaining("Only 0 of 1 Redis replicas");
		assertThat(replication("timeout")).isEqualTo(1.0);
		assertThat(this.shown).as("nothing shown before a replica has it").hasSize(3);

		RedisServer primary = this.redis.failOver();
		StringRedisTemplate promotedRedis = template(primary);
		InboxStore promoted = store(promotedRedis, 1, PATIENT);
		// The lane gives the failed batch again: it waits until the new primary has a
		// replica of its own.
		assertThatExceptionOfType(TransientDataAccessResourceException.class)
			.isThrownBy(() -> store(promotedRedis, 1, IMPATIENT).append(appends("n4", "n5")));
		assertThat(this.shown).hasSize(3);
		this.redis.addReplica();
		assertThat(seqs(promoted.append(appends("n4", "n5")))).containsExactly(4L, 5L);
		assertThat(seqs(promoted.append(appends("n6")))).containsExactly(6L);

		assertThat(this.shown).extracting(Map.Entry::getKey).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(this.shown).extracting(Map.Entry::getValue).containsExactly("n1", "n2", "n3", "n4", "n5", "n6");
		assertThat(inbox(template(primary))).containsExactly(Map.entry(1L, "n1"), Map.entry(2L, "n2"),
				Map.entry(3L, "n3"), Map.entry(4L, "n4"), Map.entry(5L, "n5"), Map.entry(6L, "n6"));
	}

	@Test
	void withoutSyncReplicasTheSameFailoverGivesASeqAClientSawToAnotherNotification() throws Exception {
		InboxStore store = store(template(this.redis.primary()), 0, PATIENT);
		present(template(this.redis.primary()));
		store.append(appends("n1", "n2", "n3"));
		StringRedisTemplate replica = template(this.redis.replica());
		await().atMost(Duration.ofSeconds(10)).until(() -> inbox(replica).size() == 3);

		this.redis.replicaFallsBehind();
		assertThat(seqs(store.append(appends("n4", "n5")))).containsExactly(4L, 5L);
		this.redis.failOver();
		InboxStore promoted = store(replica, 0, PATIENT);
		assertThat(seqs(promoted.append(appends("n6")))).containsExactly(4L);

		// Seq 4 was shown as n4, and is now n6; n4 and n5 are in no inbox.
		assertThat(this.shown).contains(Map.entry(4L, "n4"), Map.entry(4L, "n6"));
		assertThat(inbox(replica)).doesNotContainValue("n4").doesNotContainValue("n5");
	}

	/**
	 * A store whose appends wait at most {@code syncTimeout} for the replica:
	 * {@link #PATIENT} where the replica is there and must confirm even on a busy
	 * machine, {@link #IMPATIENT} where it cannot and the test waits for the refusal.
	 */
	private InboxStore store(StringRedisTemplate redis, int syncReplicas, Duration syncTimeout) {
		InboxProperties properties = new InboxProperties(1000, Duration.ofDays(30), Duration.ofDays(60), 2, 2,
				Duration.ofSeconds(10), syncReplicas, syncTimeout, Duration.ofMinutes(10));
		LocalSessions sessions = (tenant, userId, message, size) -> {
			if (message instanceof LiveMessage.Notification notification) {
				this.shown.add(Map.entry(notification.seq(), idOf(notification.frame())));
			}
		};
		return new InboxStore(redis, properties, new LiveDispatch(redis, this.node, sessions),
				new InboxMetrics(this.meters, new Funnel(this.meters)));
	}

	private double replication(String outcome) {
		return this.meters.counter("herald.gateway.inbox.replication", "outcome", outcome).count();
	}

	private static List<InboxStore.Append> appends(String... ids) {
		List<InboxStore.Append> appends = new ArrayList<>();
		for (String id : ids) {
			appends.add(new InboxStore.Append(TENANT, USER, id, "{\"id\":\"" + id + "\"}", null));
		}
		return appends;
	}

	private static List<Long> seqs(List<AppendResult> results) {
		return results.stream().map(AppendResult::seq).toList();
	}

	/** The notification id in a {@code notification} frame. */
	private static String idOf(String frame) {
		int start = frame.indexOf("\"id\":\"") + "\"id\":\"".length();
		return frame.substring(start, frame.indexOf('"', start));
	}

	/** The user has a session on this node, so every append is shown live here. */
	private void present(StringRedisTemplate redis) {
		redis.opsForZSet()
			.add(InboxKeys.of(TENANT, USER).presence(), this.node.newSessionId(),
					System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1));
	}

	/** The inbox's entries: seq and notification id. */
	private static Map<Long, String> inbox(StringRedisTemplate redis) {
		Map<Long, String> entries = new LinkedHashMap<>();
		List<MapRecord<String, Object, Object>> records = redis.opsForStream()
			.range(InboxKeys.of(TENANT, USER).stream(), Range.unbounded());
		for (MapRecord<String, Object, Object> record : records) {
			entries.put(Long.parseLong(record.getId().getTimestamp().toString()), (String) record.getValue().get("id"));
		}
		return entries;
	}

	private StringRedisTemplate template(RedisServer server) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		factory.afterPropertiesSet();
		factory.start();
		this.factories.add(factory);
		return new StringRedisTemplate(factory);
	}

}
