package io.herald.support.redis;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs batches of Lua script calls (and plain commands) in one pipeline, calling each
 * script by its SHA-1 ({@code EVALSHA}).
 *
 * <p>
 * Spring Data Redis sends a script's whole text ({@code EVAL}) when it runs in a
 * pipeline, because a pipeline cannot fall back from {@code EVALSHA} call by call. For a
 * script of a few kilobytes that is the text encoded, sent, parsed and hashed by Redis on
 * every call: measured on the status script, Redis spends two to three times the CPU on
 * an {@code EVAL} as on an {@code EVALSHA} of the same call (docs/benchmarks.md). Here
 * the fallback is per batch instead: when Redis does not know a script (it restarted, its
 * scripts were flushed, a replica was promoted), the scripts are loaded and the whole
 * batch runs again. <strong>Every command of a batch must therefore be
 * idempotent</strong>; Herald's hot-path scripts are (appends by notification id, status
 * updates by stage).
 */
public final class ScriptPipeline {

	private final StringRedisTemplate redis;

	private final List<RedisScript<?>> scripts;

	/**
	 * @param redis the template to run on
	 * @param scripts every script the batches call, loaded into Redis when it lacks one
	 */
	public ScriptPipeline(StringRedisTemplate redis, RedisScript<?>... scripts) {
		this.redis = redis;
		this.scripts = List.of(scripts);
	}

	/**
	 * Runs the batch in one pipeline; the callback calls scripts with {@link #call}.
	 * @return one reply per command, in order, as
	 * {@link StringRedisTemplate#executePipelined} returns them
	 * @throws DataAccessException when Redis cannot be reached or a command fails
	 */
	public List<@Nullable Object> run(Batch batch) {
		return loadingScripts(() -> execute(batch));
	}

	/** Runs a batch, and once more after loading the scripts when Redis lacked one. */
	private <T> T loadingScripts(Supplier<T> batch) {
		try {
			return batch.get();
		}
		catch (DataAccessException ex) {
			if (!lacksScript(ex)) {
				throw ex;
			}
			load();
			return batch.get();
		}
	}

	private List<@Nullable Object> execute(Batch batch) {
		return this.redis.executePipelined(new SessionCallback<@Nullable Object>() {
			@Override
			@SuppressWarnings("unchecked")
			public @Nullable Object execute(RedisOperations operations) {
				batch.add((RedisOperations<String, String>) operations);
				return null;
			}
		});
	}

	/**
	 * Calls a script by its SHA-1 within a batch; its reply is among the batch's replies.
	 * @param operations the batch's operations
	 * @param script one of the scripts this pipeline was made with
	 * @param keys the script's keys
	 * @param args the script's arguments
	 */
	public static void call(RedisOperations<String, String> operations, RedisScript<?> script, List<String> keys,
			String... args) {
		byte[][] keysAndArgs = new byte[keys.size() + args.length][];
		for (int i = 0; i < keys.size(); i++) {
			keysAndArgs[i] = keys.get(i).getBytes(StandardCharsets.UTF_8);
		}
		for (int i = 0; i < args.length; i++) {
			keysAndArgs[keys.size() + i] = args[i].getBytes(StandardCharsets.UTF_8);
		}
		ReturnType returnType = ReturnType.fromJavaType(script.getResultType());
		operations.execute((RedisCallback<@Nullable Object>) (connection) -> connection.scriptingCommands()
			.evalSha(script.getSha1(), returnType, keys.size(), keysAndArgs));
	}

	/**
	 * Runs script calls in one pipeline and then waits, with Redis' {@code WAIT}, until
	 * {@code replicas} replicas of every primary that took them have their writes, or
	 * {@code timeout} has passed. On a standalone Redis the {@code WAIT} ends the
	 * pipeline; on a Redis Cluster it goes to each primary whose slots the calls' first
	 * keys fall in, on the very connection the calls went over, since {@code WAIT} counts
	 * the writes of its own connection. With {@code replicas} 0 nothing is waited for.
	 * @param batch the script calls
	 * @param replicas how many replicas to wait for; 0 for none
	 * @param timeout how long to wait at most, at least a millisecond
	 * @return the calls' replies, and the fewest replicas any of those primaries
	 * confirmed
	 * @throws DataAccessException when Redis cannot be reached or a call fails
	 */
	public Replicated run(ScriptCalls batch, int replicas, Duration timeout) {
		if (replicas < 0) {
			throw new IllegalArgumentException("replicas must not be negative, but was " + replicas);
		}
		if (replicas == 0) {
			return loadingScripts(() -> new Replicated(execute((operations) -> batch.add(new Calls(operations))), 0));
		}
		return loadingScripts(() -> executeReplicated(batch, replicas, timeout));
	}

	private Replicated executeReplicated(ScriptCalls batch, int replicas, Duration timeout) {
		long[] acknowledged = { -1 };
		List<@Nullable Object> replies = this.redis.executePipelined(new SessionCallback<@Nullable Object>() {
			@Override
			@SuppressWarnings("unchecked")
			public @Nullable Object execute(RedisOperations operations) {
				RedisOperations<String, String> ops = operations;
				Calls calls = new Calls(ops);
				batch.add(calls);
				// Exposed: the template's proxy of the connection does not reveal the
				// Lettuce connection.
				ScriptPipeline.this.redis.execute((RedisCallback<@Nullable Object>) (connection) -> {
					LettuceConnection lettuce = NativeRedis.lettuce(connection);
					if (lettuce instanceof LettuceClusterConnection) {
						acknowledged[0] = ReplicaWait.onPrimaries(lettuce.getNativeConnection(), calls.routingKeys,
								replicas, timeout);
					}
					else {
						ReplicaWait.inPipeline(lettuce, replicas, timeout);
					}
					return null;
				}, true);
				return null;
			}
		});
		if (acknowledged[0] >= 0) {
			return new Replicated(replies, acknowledged[0]);
		}
		// Standalone: the WAIT's reply is the pipeline's last.
		long confirmed = (replies.getLast() instanceof Number number) ? number.longValue() : 0;
		return new Replicated(replies.subList(0, replies.size() - 1), confirmed);
	}

	private void load() {
		this.redis.execute((RedisCallback<@Nullable Object>) (connection) -> {
			for (RedisScript<?> script : this.scripts) {
				load(connection, script);
			}
			return null;
		});
	}

	private static void load(RedisConnection connection, RedisScript<?> script) {
		connection.scriptingCommands().scriptLoad(script.getScriptAsString().getBytes(StandardCharsets.UTF_8));
	}

	private static boolean lacksScript(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
			for (Throwable suppressed : cause.getSuppressed()) {
				if (lacksScript(suppressed)) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The replies of a batch of script calls, and how many replicas had their writes.
	 *
	 * @param replies one reply per call, in order
	 * @param replicas the fewest replicas that confirmed the writes on any primary the
	 * calls went to; when below the number waited for, some writes may be lost if their
	 * primary fails
	 */
	public record Replicated(List<@Nullable Object> replies, long replicas) {
	}

	/** The script calls of one pipeline whose writes are waited for. */
	@FunctionalInterface
	public interface ScriptCalls {

		/** Adds the batch's calls with {@link Calls#call}. */
		void add(Calls calls);

	}

	/** Calls scripts within one pipeline, noting the key each call is routed by. */
	public static final class Calls {

		private final RedisOperations<String, String> operations;

		private final List<String> routingKeys = new ArrayList<>();

		private Calls(RedisOperations<String, String> operations) {
			this.operations = operations;
		}

		/**
		 * Calls a script by its SHA-1; its reply is among the batch's replies.
		 * @param script one of the scripts the pipeline was made with
		 * @param keys the script's keys, at least one, all in one slot on a Redis Cluster
		 * @param args the script's arguments
		 */
		public void call(RedisScript<?> script, List<String> keys, String... args) {
			if (keys.isEmpty()) {
				throw new IllegalArgumentException("a call whose writes are waited for needs a key");
			}
			ScriptPipeline.call(this.operations, script, keys, args);
			this.routingKeys.add(keys.getFirst());
		}

	}

	/** The commands of one pipeline. */
	@FunctionalInterface
	public interface Batch {

		/** Adds the batch's commands to the pipeline. */
		void add(RedisOperations<String, String> operations);

	}

}
