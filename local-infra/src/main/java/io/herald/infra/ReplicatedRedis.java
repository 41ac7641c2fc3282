package io.herald.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A Redis primary with a replica, both ephemeral {@link RedisServer}s, for tests of what
 * a failover does: the replica {@link #replicaFallsBehind() falls behind}, the primary
 * dies and the replica is promoted with what it had ({@link #failOver()}), and the new
 * primary gets a replica of its own ({@link #addReplica()}). {@link #close()} ends every
 * server it started, paused or not.
 */
public final class ReplicatedRedis implements AutoCloseable {

	/** How long a new replica gets to copy its primary. */
	private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

	private final List<RedisServer> servers = new ArrayList<>();

	private RedisServer primary;

	private @Nullable RedisServer replica;

	private ReplicatedRedis() {
		this.primary = started(RedisServer.builder());
		this.replica = addReplica();
	}

	/**
	 * Starts a primary and a replica, and returns once the replica has copied the
	 * primary.
	 * @throws IllegalStateException if either does not start, or the replica does not
	 * sync in time
	 */
	public static ReplicatedRedis start() {
		return new ReplicatedRedis();
	}

	/** The primary now. */
	public RedisServer primary() {
		return this.primary;
	}

	/**
	 * The primary's replica.
	 * @throws IllegalStateException after a {@link #failOver()} until
	 * {@link #addReplica()}
	 */
	public RedisServer replica() {
		if (this.replica == null) {
			throw new IllegalStateException("the primary has no replica since the failover; add one");
		}
		return this.replica;
	}

	/**
	 * Waits until the replica has applied every write the primary has taken so far
	 * ({@link RedisServer#awaitCaughtUpWith}).
	 * @throws IllegalStateException if it has not within the time a new replica gets to
	 * sync, or the primary has no replica
	 */
	public void awaitReplicaCaughtUp() {
		replica().awaitCaughtUpWith(this.primary, SYNC_TIMEOUT);
	}

	/**
	 * The replica stops taking the primary's writes, for good
	 * ({@link RedisServer#fallBehind}).
	 */
	public void replicaFallsBehind() {
		replica().fallBehind(this.primary);
	}

	/**
	 * The primary dies (SIGKILL) and the replica is promoted with whatever it had
	 * ({@link RedisServer#takeOverFrom}); it is the primary from now on, without a
	 * replica.
	 * @return the new primary
	 */
	public RedisServer failOver() {
		RedisServer promoted = replica();
		promoted.takeOverFrom(this.primary);
		this.primary = promoted;
		this.replica = null;
		return promoted;
	}

	/**
	 * Starts a new replica of the primary and waits until it has copied it.
	 * @return the new replica
	 */
	public RedisServer addReplica() {
		RedisServer added = started(RedisServer.builder().replicaOf(this.primary.port()));
		added.awaitReplicaInSync(SYNC_TIMEOUT);
		this.replica = added;
		return added;
	}

	/** Ends every server this started, paused ones too. Idempotent. */
	@Override
	public void close() {
		RedisServer.closeAll(this.servers);
	}

	private RedisServer started(RedisServer.Builder builder) {
		RedisServer server = Objects.requireNonNull(builder.build());
		this.servers.add(server);
		return server.start();
	}

}
