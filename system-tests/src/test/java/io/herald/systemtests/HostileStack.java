package io.herald.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.herald.loaddriver.DemoAccount;
import io.herald.localstack.LocalStack;
import io.herald.localstack.LocalStackSettings;
import io.herald.localstack.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A local stack of real services with two tenants, for the hostile-input suites: the demo
 * tenant ({@link #TENANT_A}) and a second one ({@link #TENANT_B}) with its own API key
 * and user-token secret, given to the services as extra environment. Also checks what the
 * suites promise about every answer (a problem detail) and about the services (ready,
 * nothing logged at ERROR).
 */
final class HostileStack implements AutoCloseable {

	static final String TENANT_A = DemoAccount.TENANT;

	static final String KEY_A = DemoAccount.API_KEY;

	static final String SECRET_A = DemoAccount.JWT_SECRET;

	static final String TENANT_B = "rival";

	static final String KEY_B = "rival-key";

	static final String SECRET_B = "rival-secret-0123456789abcdef0123456789abcdef";

	/** How long a service may take to answer ready again after a hostile request. */
	private static final Duration STILL_READY = Duration.ofSeconds(20);

	/** A log line at ERROR level in Spring Boot's default console pattern. */
	private static final Pattern ERROR_LINE = Pattern.compile("^\\S+\\s+ERROR\\s.*");

	/** A frame or a cause of a Java stack trace. */
	private static final Pattern STACK_TRACE_LINE = Pattern
		.compile("^(\\s+at [\\w$.]+\\(.*|Caused by: .*|\\s+\\.\\.\\. \\d+ (more|common frames omitted))$");

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final LocalStack stack;

	private final Map<Path, Long> logOffsets = new HashMap<>();

	private HostileStack(LocalStack stack) {
		this.stack = stack;
	}

	/**
	 * Starts Kafka, Redis and the named services with both tenants.
	 */
	static HostileStack start(Path data, String... services) {
		LocalStackSettings settings = TestStacks.onFreePorts(data, services);
		LocalStack stack = TestStacks.stack(settings);
		stack.addTenant(TENANT_B, KEY_B, SECRET_B);
		HostileStack hostile = new HostileStack(stack);
		try {
			stack.start();
			return hostile;
		}
		catch (RuntimeException ex) {
			stack.close();
			throw ex;
		}
	}

	/** The stack's settings: its services, the demo tenant's API key and token secret. */
	LocalStackSettings settings() {
		return this.stack.settings();
	}

	Service service(String name) {
		return this.stack.settings().service(name);
	}

	/** Fails unless every service still answers its readiness probe. */
	void assertReady() {
		this.stack.awaitReady(STILL_READY);
	}

	/**
	 * Fails with the offending lines if any service logged a line at ERROR level or a
	 * stack trace since {@link #markLogs()}.
	 */
	void assertNothingLoggedAtError() {
		List<String> offending = new ArrayList<>();
		this.logOffsets.forEach((log, offset) -> {
			List<String> lines = linesAfter(log, offset);
			for (String line : lines) {
				if (ERROR_LINE.matcher(line).matches() || STACK_TRACE_LINE.matcher(line).matches()) {
					offending.add(log.getFileName() + ": " + line);
				}
			}
		});
		assertThat(offending).as("lines logged at ERROR or stack traces").isEmpty();
	}

	/**
	 * Asserts that an answer is a client error (never a 5xx) carrying an RFC 9457 problem
	 * detail whose {@code status} is the answer's.
	 * @param expected the statuses the answer may have; any 4xx when empty
	 */
	static void assertProblem(RawHttp.Response response, int... expected) {
		String description = response.describe();
		assertThat(response.status()).as(description).isBetween(400, 499);
		if (expected.length > 0) {
			assertThat(response.status()).as(description).isIn(box(expected));
		}
		assertThat(response.header("content-type")).as(description).startsWith("application/problem+json");
		JsonNode problem;
		try {
			problem = JSON.readTree(response.body());
		}
		catch (RuntimeException ex) {
			fail("not JSON: " + description);
			return;
		}
		assertThat(problem.path("type").isString()).as(description).isTrue();
		assertThat(problem.path("title").isString()).as(description).isTrue();
		assertThat(problem.path("status").asInt()).as(description).isEqualTo(response.status());
	}

	private static Object[] box(int[] values) {
		return java.util.Arrays.stream(values).boxed().toArray();
	}

	/**
	 * Remembers where each service log ends, so that
	 * {@link #assertNothingLoggedAtError()} only reads what comes after.
	 */
	void markLogs() {
		try (Stream<Path> logs = Files.list(this.stack.settings().logDirectory())) {
			logs.filter((log) -> log.getFileName().toString().endsWith("-service.log")
					|| log.getFileName().toString().startsWith("websocket-gateway"))
				.forEach((log) -> this.logOffsets.put(log, size(log)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> linesAfter(Path log, long offset) {
		try {
			byte[] bytes = Files.readAllBytes(log);
			int from = (int) Math.min(offset, bytes.length);
			return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.stack.close();
	}

}
