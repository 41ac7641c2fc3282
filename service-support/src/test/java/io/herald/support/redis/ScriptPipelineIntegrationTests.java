package io.herald.support.redis;

import io.herald.infra.SharedInfra;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Script batches against a real redis-server. */
class ScriptPipelineIntegrationTests {

	private static final RedisScript<Long> ADD = RedisScript.of("return redis.call('INCRBY', KEYS[1], ARGV[1])",
			Long.class);

	private static LettuceConnectionFactory connections;

	private static StringRedisTemplate redis;

	@BeforeAll
	static void connect() {
		connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(SharedInfra.redis().host(), SharedInfra.redis().port()));
		connections.afterPropertiesSet();
		connections.start();
		redis = new StringRedisTemplate(connections);
	}

	@AfterAll
	static void disconnect() {
		connections.destroy();
	}

	@BeforeEach
	void forgetScriptsAndStatistics() {
		forgetScripts();
		resetStatistics();
		redis.delete(List.of("script-pipeline:a", "script-pipeline:b"));
	}

	@Test
	void callsScriptsByTheirShaAndLoadsThemWhenRedisLacksThem() {
		ScriptPipeline pipeline = new ScriptPipeline(redis, ADD);

		List<@Nullable Object> replies = pipeline.run((operations) -> {
			ScriptPipeline.call(operations, ADD, List.of("script-pipeline:a"), "1");
			ScriptPipeline.call(operations, ADD, List.of("script-pipeline:b"), "10");
			ScriptPipeline.call(operations, ADD, List.of("script-pipeline:a"), "2");
		});

		assertThat(replies).containsExactly(1L, 10L, 3L);
		// Redis knew no script: the first try failed as a whole and ran again once the
		// script was loaded.
		assertThat(commandCalls("evalsha")).isEqualTo(6);
		assertThat(commandCalls("eval")).isZero();
	}

	@Test
	void sendsNoScriptTextOnceRedisHasTheScript() {
		ScriptPipeline pipeline = new ScriptPipeline(redis, ADD);
		pipeline.run((operations) -> ScriptPipeline.call(operations, ADD, List.of("script-pipeline:a"), "1"));
		resetStatistics();

		List<@Nullable Object> replies = pipeline.run((operations) -> {
			ScriptPipeline.call(operations, ADD, List.of("script-pipeline:a"), "1");
			operations.opsForValue().set("script-pipeline:b", "plain");
			ScriptPipeline.call(operations, ADD, List.of("script-pipeline:a"), "1");
		});

		assertThat(replies).hasSize(3).startsWith(2L).endsWith(3L);
		assertThat(redis.opsForValue().get("script-pipeline:b")).isEqualTo("plain");
		assertThat(commandCalls("evalsha")).isEqualTo(2);
		assertThat(commandCalls("eval")).isZero();
		assertThat(commandCalls("script|load")).isZero();
	}

	@Test
	void loadsTheScriptsAgainAfterRedisForgotThem() {
		ScriptPipeline pipeline = new ScriptPipeline(redis, ADD);
		pipeline.run((operations) -> ScriptPipeline.call(operations, ADD, List.of("script-pipeline:a"), "5"));
		forgetScripts();

		List<@Nullable Object> replies = pipeline
			.run((operations) -> ScriptPipeline.call(operations, ADD, List.of("script-pipeline:a"), "5"));

		assertThat(replies).containsExactly(10L);
	}

	private static void forgetScripts() {
		redis.execute((RedisCallback<@Nullable Object>) (connection) -> {
			connection.scriptingCommands().scriptFlush();
			return null;
		});
	}

	private static void resetStatistics() {
		redis.execute((RedisCallback<@Nullable Object>) (connection) -> {
			connection.serverCommands().resetConfigStats();
			return null;
		});
	}

	/** How many times Redis ran a command since the statistics were reset. */
	private static long commandCalls(String command) {
		Properties stats = redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String line = (stats != null) ? stats.getProperty("cmdstat_" + command) : null;
		if (line == null) {
			return 0;
		}
		return Long.parseLong(line.substring("calls=".length(), line.indexOf(',')));
	}

}
