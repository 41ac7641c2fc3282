package io.herald.support.redis;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import org.springframework.data.redis.connection.DecoratedRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs batches of Lua script calls (and plain commands) in one pipeline, calling each script by
 * its SHA-1 ({@code EVALSHA}).
 *
 * <p>Spring Data Redis sends a script's whole text ({@code EVAL}) when it runs in a pipeline,
 * because a pipeline cannot fall back from {@code EVALSHA} call by call. For a script of a few
 * kilobytes that is the text encoded, sent, parsed and hashed by Redis on every call: measured on
 * the status script, Redis spends two to three times the CPU on an {@code EVAL} as on an
 * {@code EVALSHA} of the same call (docs/benchmarks.md). Here the fallback is per batch instead:
 * when Redis does not know a script (it restarted, its scripts were flushed, a replica was
 * promoted), the scripts are loaded and the whole batch runs again. <strong>Every command of a
 * batch must therefore be idempotent</strong>; Herald's hot-path scripts are (appends by
 * notification id, status updates by stage).
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
	 * @return one reply per command, in order, as {@link StringRedisTemplate#executePipelined}
	 * returns them
	 * @throws DataAccessException when Redis cannot be reached or a command fails
	 */
	public List<@Nullable Object> run(Batch batch) {
		try {
			return execute(batch);
		}
		catch (DataAccessException ex) {
			if (!lacksScript(ex)) {
				throw ex;
			}
			load();
			return execute(batch);
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
	 * Ends a batch with {@code WAIT}: Redis answers once {@code replicas} replicas have every write
	 * this connection made, or when {@code timeout} has passed. Its reply, the last of the batch's,
	 * is how many replicas had them.
	 * @param operations the batch's operations
	 * @param replicas how many replicas to wait for, at least one
	 * @param timeout how long to wait at most, at least a millisecond
	 */
	public static void awaitReplicas(RedisOperations<String, String> operations, int replicas, Duration timeout) {
		byte[] count = Integer.toString(replicas).getBytes(StandardCharsets.US_ASCII);
		byte[] millis = Long.toString(Math.max(1, timeout.toMillis())).getBytes(StandardCharsets.US_ASCII);
		// WAIT answers with an integer, which the untyped execute(String, byte[]...) cannot read: it
		// goes to the Lettuce connection itself, exposed rather than behind the template's proxy.
		RedisCallback<@Nullable Object> wait = (connection) -> lettuce(connection).execute("WAIT",
				new IntegerOutput<>(ByteArrayCodec.INSTANCE), count, millis);
		if (!(operations instanceof RedisTemplate<String, String> template)) {
			throw new IllegalArgumentException("Waiting for replicas needs the batch's own RedisTemplate, not "
					+ operations.getClass().getName());
		}
		template.execute(wait, true);
	}

	private static LettuceConnection lettuce(RedisConnection connection) {
		RedisConnection target = connection;
		while (target instanceof DecoratedRedisConnection decorated) {
			target = decorated.getDelegate();
		}
		if (target instanceof LettuceConnection lettuce) {
			return lettuce;
		}
		throw new IllegalStateException("Waiting for replicas needs a Lettuce connection, not "
				+ target.getClass().getName());
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

	/** The commands of one pipeline. */
	@FunctionalInterface
	public interface Batch {

		/** Adds the batch's commands to the pipeline. */
		void add(RedisOperations<String, String> operations);

	}

}
