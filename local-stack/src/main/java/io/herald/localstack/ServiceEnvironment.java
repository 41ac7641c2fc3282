package io.herald.localstack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.infra.KafkaClusterProcess;
import org.jspecify.annotations.Nullable;

/**
 * The environment each service of the stack starts with, on top of the stack's own: where
 * Kafka and Redis are, its ports, the data directory, its name in its consumer groups,
 * the demo credentials and this run's tokens. The tokens are random per run: the operator
 * token for the actuator's write operations (services get only its SHA-256), routing's
 * shared token (routing only), the preferences token with which the gateway reaches
 * users' preferences on routing, and the key unsubscribe links are signed with (a link
 * from an earlier run is refused; the sandboxes forget their mail at each run).
 */
final class ServiceEnvironment {

	/**
	 * Rate limit of the demo key: high enough that benchmarks measure the platform, not
	 * the limiter.
	 */
	static final int DEMO_KEY_EVENTS_PER_SECOND = 1_000_000;

	/**
	 * The Spring profile of services run as the local stack: they accept the demo
	 * credentials.
	 */
	static final String LOCAL_PROFILE = "local";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final LocalStackSettings settings;

	private final LocalInfrastructure infrastructure;

	private final Warmup warmup;

	private final String operatorToken = randomToken();

	private final String internalToken = randomToken();

	private final String preferencesToken = randomToken();

	private final String unsubscribeKey = randomToken();

	/** Settings added to some services' environment, by service name; for tests. */
	private final Map<String, Map<String, String>> added = new ConcurrentHashMap<>();

	/** Tenants every service accepts besides the demo tenant (and the warm-up's). */
	private final List<Tenant> tenants = new CopyOnWriteArrayList<>();

	ServiceEnvironment(LocalStackSettings settings, LocalInfrastructure infrastructure, Warmup warmup) {
		this.settings = settings;
		this.infrastructure = infrastructure;
		this.warmup = warmup;
	}

	/**
	 * The environment of one service: where Kafka and Redis are (and, when they are
	 * replicated, how many copies to wait for), its port, the data directory (services
	 * keep local state there, such as the routing topology's stores), its instance id
	 * ({@code local-<name>}: its consumers are static group members), the demo API key
	 * (as a SHA-256 hash, the only form services store) with its rate limit, the demo JWT
	 * secret, both as itself and as the gateway's signing key of the demo tenant's user
	 * tokens, the SHA-256 of this run's operator token, routing's shared token, leave for
	 * ingestion's webhook endpoints to be on this machine (a private address), the
	 * provider sandboxes' addresses for delivery (with its own URL, where the Twilio
	 * sandbox's status callbacks go, and the bounce mailbox), the unsubscribe links'
	 * signing key for delivery and routing with routing's URL as the links' base for
	 * delivery, routing's management URL for the gateway, with a warm-up, the warm-up
	 * tenant's key and secret ({@link Warmup}), the tenants of {@link #addTenant}; then
	 * what {@link #add} added.
	 * @param service the service
	 * @param sandboxes the running provider sandboxes, {@code null} if none run
	 * @return the variables, in a stable order
	 */
	Map<String, String> of(Service service, @Nullable ProviderSandboxes sandboxes) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("HERALD_KAFKA_BOOTSTRAP", this.infrastructure.kafkaBootstrapServers());
		if (this.infrastructure.redisHasReplica()) {
			env.put("HERALD_GATEWAY_INBOX_SYNCREPLICAS", "1");
			env.put("HERALD_INGESTION_IDEMPOTENCYSYNCREPLICAS", "1");
		}
		KafkaClusterProcess cluster = this.infrastructure.kafkaCluster();
		if (cluster != null) {
			env.put("HERALD_KAFKA_REPLICATIONFACTOR", Integer.toString(cluster.quorum().replicationFactor()));
			env.put("HERALD_KAFKA_MININSYNCREPLICAS", Integer.toString(cluster.quorum().minInsyncReplicas()));
		}
		env.put("HERALD_REDIS_HOST", "127.0.0.1");
		env.put("HERALD_REDIS_PORT", Integer.toString(this.settings.redisPort()));
		env.put("SERVER_PORT", Integer.toString(service.port()));
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(service.managementPort()));
		env.put("HERALD_DATA_DIR", this.settings.dataDirectory().toString());
		// The stack runs one instance of each service, so its name outlives a restart: a
		// restarted service takes its partitions back at once (static group membership).
		env.put("HERALD_KAFKA_INSTANCEID", "local-" + service.name());
		// Only in this profile does a service accept the demo credentials
		// (DemoSecretsGuard).
		env.put("SPRING_PROFILES_ACTIVE", LOCAL_PROFILE);
		env.putAll(tenant(0, new Tenant(this.settings.demoTenant(), "demo", this.settings.demoApiKey(),
				this.settings.demoJwtSecret())));
		env.put("HERALD_DEMO_JWT_SECRET", this.settings.demoJwtSecret());
		env.put("HERALD_MANAGEMENT_OPERATORTOKENSHA256", sha256Hex(this.operatorToken));
		if (service.name().equals("routing")) {
			env.put("HERALD_ROUTING_INTERNALTOKEN", this.internalToken);
		}
		if (service.name().equals("routing") || service.name().equals("gateway")) {
			env.put("HERALD_ROUTING_PREFERENCESTOKEN", this.preferencesToken);
		}
		if (service.name().equals("ingestion")) {
			// Webhook receivers of a local stack run on this machine.
			env.put("HERALD_INGESTION_WEBHOOKS_ALLOWPRIVATENETWORKS", "true");
		}
		if (service.name().equals("delivery") || service.name().equals("routing")) {
			env.put("HERALD_UNSUBSCRIBE_SIGNINGKEY", this.unsubscribeKey);
		}
		if (service.name().equals("delivery")) {
			// The links in email lead to routing's public API.
			env.put("HERALD_UNSUBSCRIBE_BASEURL", routing().url());
			if (sandboxes != null) {
				env.putAll(sandboxes.deliveryEnvironment(service.url()));
			}
		}
		if (service.name().equals("gateway")) {
			env.put("HERALD_GATEWAY_PREFERENCES_ROUTINGURL", routing().managementUrl());
		}
		Map<String, String> warmup = this.warmup.environment();
		env.putAll(warmup);
		int index = warmup.isEmpty() ? 1 : 2;
		for (Tenant tenant : this.tenants) {
			env.putAll(tenant(index++, tenant));
		}
		env.putAll(this.added.getOrDefault(service.name(), Map.of()));
		return env;
	}

	/**
	 * A tenant the services accept.
	 *
	 * @param tenant its id
	 * @param keyName the name of its API key
	 * @param apiKey its API key in clear; services get only its SHA-256
	 * @param jwtSecret the gateway's HS256 key for its user tokens
	 */
	record Tenant(String tenant, String keyName, String apiKey, String jwtSecret) {
	}

	/**
	 * A tenant's settings at an index of the services' lists: its API key (ingestion),
	 * with the demo key's rate limit, and its user-token secret (gateway).
	 */
	static Map<String, String> tenant(int index, Tenant tenant) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("HERALD_APIKEYS_" + index + "_TENANT", tenant.tenant());
		env.put("HERALD_APIKEYS_" + index + "_NAME", tenant.keyName());
		env.put("HERALD_APIKEYS_" + index + "_SHA256", sha256Hex(tenant.apiKey()));
		env.put("HERALD_APIKEYS_" + index + "_EVENTSPERSECOND", Integer.toString(DEMO_KEY_EVENTS_PER_SECOND));
		env.put("HERALD_GATEWAY_JWT_TENANTS_" + index + "_TENANT", tenant.tenant());
		env.put("HERALD_GATEWAY_JWT_TENANTS_" + index + "_SECRET", tenant.jwtSecret());
		return env;
	}

	/**
	 * Has every service accept one more tenant, its API key named after it, from its next
	 * start; for tests.
	 */
	void addTenant(String tenant, String apiKey, String jwtSecret) {
		this.tenants.add(new Tenant(tenant, tenant, apiKey, jwtSecret));
	}

	/**
	 * Adds settings to a service's environment for its next start, over those added
	 * before; for tests.
	 */
	void add(String service, Map<String, String> settings) {
		this.added.merge(service, Map.copyOf(settings), (before, added) -> {
			Map<String, String> merged = new HashMap<>(before);
			merged.putAll(added);
			return Map.copyOf(merged);
		});
	}

	/**
	 * The operator token of this run: {@code Authorization: Bearer <token>} on the
	 * management ports.
	 */
	String operatorToken() {
		return this.operatorToken;
	}

	/**
	 * Routing as this stack runs it, or on its default ports when the stack does not run
	 * it (it may run on its own, from an IDE).
	 */
	private Service routing() {
		return this.settings.services()
			.stream()
			.filter((service) -> service.name().equals("routing"))
			.findFirst()
			.orElseGet(() -> Service.ALL.stream()
				.filter((service) -> service.name().equals("routing"))
				.findFirst()
				.orElseThrow());
	}

	/** The key unsubscribe links are signed with in this run. */
	String unsubscribeKey() {
		return this.unsubscribeKey;
	}

	/** The routing instances' shared token of this run. */
	String internalToken() {
		return this.internalToken;
	}

	/** The gateway's token for routing's preferences endpoint in this run. */
	String preferencesToken() {
		return this.preferencesToken;
	}

	/** 32 random bytes in hex. */
	static String randomToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	static String sha256Hex(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM supports SHA-256", ex);
		}
	}

}
