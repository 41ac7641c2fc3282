package io.herald.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}, checked without Docker: it is a valid Compose file, and
 * every Herald service in it is built from this repository, configured only with
 * variables the service reads, published on its API port only, health-checked on its
 * management port, and started once what it needs is healthy.
 */
class ComposeFileTests {

	/**
	 * Bind-mounted files that the observability work provides: checked once they are
	 * there.
	 */

	private static final String READINESS = "/actuator/health/readiness";

	private final ComposeFile compose = new ComposeFile();

	@Test
	void isAValidComposeFile() {
		assertThat(ComposeSchema.errors(this.compose.document())).as("errors against the Compose Specification schema")
			.isEmpty();
	}

	@Test
	void schemaCatchesAMisspeltKeyAndAWrongType() {
		Map<String, Object> broken = Map.of("services", Map.of("redis",
				Map.of("image", "redis", "healthchek", Map.of("test", List.of("CMD", "true")), "ports", "6379:6379")));
		assertThat(ComposeSchema.errors(broken)).anyMatch((error) -> error.contains("healthchek"))
			.anyMatch((error) -> error.contains("ports"));
	}

	@Test
	void runsEveryService() {
		assertThat(this.compose.services())
			.containsKeys(ServiceModule.all().stream().map(ServiceModule::name).toArray(String[]::new));
	}

	@Test
	void buildsEachServiceFromTheSharedDockerfileWithItsModule() {
		for (ServiceModule module : ServiceModule.all()) {
			Map<String, Object> build = Maps.map(this.compose.service(module.name()), "build");
			Path context = Repository.root().resolve(String.valueOf(build.get("context"))).normalize();
			assertThat(context).as(module.name() + " build context").isEqualTo(Repository.root());
			assertThat(context.resolve(String.valueOf(build.get("dockerfile")))).as(module.name() + " Dockerfile")
				.isRegularFile();
			assertThat(Maps.string(build, "args", "MODULE")).as(module.name() + " MODULE").isEqualTo(module.name());
			assertThat(Maps.string(build, "args", "PORT")).as(module.name() + " PORT")
				.isEqualTo(Integer.toString(module.port(this.compose.environment(module.name()))));
		}
	}

	@Test
	void setsOnlyHeraldVariablesTheServiceReads() {
		for (ServiceModule module : ServiceModule.all()) {
			assertThat(this.compose.environment(module.name()).keySet())
				.filteredOn((variable) -> variable.startsWith("HERALD_"))
				.as(module.name() + " reads each HERALD_* variable it is given")
				.allMatch(module::reads);
		}
	}

	/**
	 * The API port only: the management port (health, metrics, operator endpoints) stays
	 * unpublished.
	 */
	@Test
	void publishesEachServiceOnItsApiPortOnly() {
		for (ServiceModule module : ServiceModule.all()) {
			int port = module.port(this.compose.environment(module.name()));
			assertThat(this.compose.ports(module.name())).as(module.name() + " ports")
				.containsExactly(port + ":" + port);
			assertThat(module.managementPort(this.compose.environment(module.name()))).as(module.name())
				.isNotEqualTo(port);
		}
	}

	/**
	 * A secret without a value in the environment stops {@code docker compose}; none has
	 * a usable default.
	 */
	@Test
	void secretsComeFromTheEnvironmentWithoutADefault() {
		Pattern secret = Pattern.compile(".*(SHA256|SECRET|TOKEN|PASSWORD)");
		Pattern interpolation = Pattern.compile("\\$\\{[A-Z0-9_]+:\\?[^}]+}");
		List<String> checked = new ArrayList<>();
		this.compose.services().keySet().forEach((name) -> this.compose.environment(name).forEach((variable, value) -> {
			if (secret.matcher(variable).matches()) {
				assertThat(value).as(name + " " + variable).matches(interpolation);
				checked.add(name + " " + variable);
			}
		}));
		assertThat(checked).contains("ingestion-service HERALD_APIKEYS_0_SHA256",
				"routing-service HERALD_ROUTING_INTERNALTOKEN", "routing-service HERALD_ROUTING_PREFERENCESTOKEN",
				"websocket-gateway HERALD_ROUTING_PREFERENCESTOKEN",
				"websocket-gateway HERALD_GATEWAY_JWT_TENANTS_0_SECRET",
				"delivery-service HERALD_MANAGEMENT_OPERATORTOKENSHA256", "grafana GF_SECURITY_ADMIN_PASSWORD");
	}

	/**
	 * The gateway reaches routing's management port for users' preferences, with the
	 * preferences token routing has too, and without routing's internal token.
	 */
	@Test
	void theGatewayReachesRoutingsManagementPortWithThePreferencesTokenOnly() {
		Map<String, String> routing = this.compose.environment("routing-service");
		Map<String, String> gateway = this.compose.environment("websocket-gateway");
		int managementPort = ServiceModule.named("routing-service").managementPort(routing);
		assertThat(gateway.get("HERALD_GATEWAY_PREFERENCES_ROUTINGURL"))
			.isEqualTo("http://routing-service:" + managementPort);
		assertThat(gateway.get("HERALD_ROUTING_PREFERENCESTOKEN")).as("the gateway's preferences token")
			.isNotBlank()
			.isEqualTo(routing.get("HERALD_ROUTING_PREFERENCESTOKEN"));
		assertThat(gateway).doesNotContainKey("HERALD_ROUTING_INTERNALTOKEN");
		assertThat(variable(routing.get("HERALD_ROUTING_PREFERENCESTOKEN")))
			.isNotEqualTo(variable(routing.get("HERALD_ROUTING_INTERNALTOKEN")));
	}

	/** The variable a {@code ${VARIABLE:?...}} value reads. */
	private static String variable(String value) {
		return value.replaceFirst("^\\$\\{([A-Z0-9_]+).*$", "$1");
	}

	@Test
	void everyContainerHasAHealthCheck() {
		this.compose.services().forEach((name, service) -> {
			Map<String, Object> healthcheck = Maps.map(Maps.of(service), "healthcheck");
			assertThat(Maps.list(healthcheck, "test")).as(name + " healthcheck").isNotEmpty();
			assertThat(healthcheck.get("disable")).as(name + " healthcheck disabled").isNotEqualTo(true);
		});
	}

	@Test
	void servicesAreHealthyOnceTheirReadinessGroupIsUpOnTheManagementPort() {
		for (ServiceModule module : ServiceModule.all()) {
			int port = module.managementPort(this.compose.environment(module.name()));
			assertThat(Maps.list(this.compose.service(module.name()), "healthcheck", "test"))
				.as(module.name() + " healthcheck")
				.contains("http://localhost:" + port + READINESS);
		}
	}

	@Test
	void containersStartOnceWhatTheyDependOnIsHealthy() {
		this.compose.services().keySet().forEach((name) -> this.compose.dependsOn(name).forEach((dependency, how) -> {
			assertThat(this.compose.services()).as(name + " depends on a service of this file").containsKey(dependency);
			assertThat(Maps.string(Maps.of(how), "condition")).as(name + " waits for " + dependency)
				.isEqualTo("service_healthy");
		}));
	}

	@Test
	void servicesReachKafkaByItsAdvertisedListener() {
		String advertised = this.compose.environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
		List<String> listeners = new ArrayList<>();
		for (String listener : advertised.split(",")) {
			listeners.add(listener.substring(listener.indexOf("://") + 3));
		}
		for (ServiceModule module : ServiceModule.all()) {
			assertThat(this.compose.environment(module.name()).get("HERALD_KAFKA_BOOTSTRAP"))
				.as(module.name() + " HERALD_KAFKA_BOOTSTRAP")
				.isIn(listeners);
			assertThat(this.compose.dependsOn(module.name())).as(module.name() + " depends_on").containsKey("kafka");
		}
	}

	@Test
	void servicesThatUseRedisReachItByServiceNameAndWaitForIt() {
		for (ServiceModule module : ServiceModule.all()) {
			Map<String, String> environment = this.compose.environment(module.name());
			String host = environment.get("HERALD_REDIS_HOST");
			assertThat(host != null).as(module.name() + " is given Redis exactly when it reads HERALD_REDIS_HOST")
				.isEqualTo(module.reads("HERALD_REDIS_HOST"));
			if (host != null) {
				assertThat(this.compose.services()).containsKey(host);
				assertThat(this.compose.dependsOn(module.name())).as(module.name() + " depends_on").containsKey(host);
				assertThat(environment.get("HERALD_REDIS_PORT")).isEqualTo("6379");
			}
		}
		assertThat(this.compose.ports("redis")).allMatch((mapping) -> mapping.endsWith(":6379"));
	}

	@Test
	void namedVolumesAreDeclared() {
		this.compose.services()
			.keySet()
			.forEach((name) -> this.compose.volumes(name)
				.stream()
				.map((volume) -> volume.split(":")[0])
				.filter((source) -> !source.startsWith(".") && !source.startsWith("/"))
				.forEach((source) -> assertThat(Maps.map(this.compose.document(), "volumes")).as(name + " volume")
					.containsKey(source)));
	}

	@Test
	void everyMountedFileOfThisRepositoryExists() {
		assertThat(bindMounts()).contains("./deploy/prometheus/alerts.yml", "./deploy/grafana/provisioning",
				"./deploy/grafana/dashboards");
		for (String source : bindMounts()) {
			assertThat(Repository.root().resolve(source).normalize()).as(source).exists();
		}
	}

	private List<String> bindMounts() {
		return this.compose.services()
			.keySet()
			.stream()
			.flatMap((name) -> this.compose.volumes(name).stream())
			.map((volume) -> volume.split(":")[0])
			.filter((source) -> source.startsWith("./"))
			.toList();
	}

}
