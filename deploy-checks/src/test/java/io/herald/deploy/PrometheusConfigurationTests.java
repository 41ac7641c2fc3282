package io.herald.deploy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/prometheus/prometheus.yml}, the scrape configuration of
 * {@code docker-compose.yml}: one job per service at the address and path where the
 * service serves its metrics, and the alerting rules mounted where the configuration
 * looks for them.
 */
class PrometheusConfigurationTests {

	private static final Path CONFIGURATION = Repository.file("deploy/prometheus/prometheus.yml");

	private final Map<String, Object> prometheus = Repository.yaml(CONFIGURATION);

	private final ComposeFile compose = new ComposeFile();

	@Test
	void scrapesEveryServiceByItsComposeNameAndManagementPort() {
		for (ServiceModule module : ServiceModule.all()) {
			Map<String, Object> job = job(module.name());
			assertThat(job).as("scrape job " + module.name()).isNotEmpty();
			assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
			int port = module.managementPort(this.compose.environment(module.name()));
			assertThat(Maps.list(Maps.of(Maps.list(job, "static_configs").get(0)), "targets"))
				.containsExactly(module.name() + ":" + port);
		}
	}

	@Test
	void everyServiceExposesItsPrometheusEndpoint() {
		for (ServiceModule module : ServiceModule.all()) {
			String include = Maps.string(module.configuration(), "management", "endpoints", "web", "exposure",
					"include");
			assertThat(Arrays.stream(String.valueOf(include).split(",")).map(String::strip))
				.as(module.name() + " management.endpoints.web.exposure.include")
				.contains("prometheus");
		}
	}

	@Test
	void evaluatesTheAlertingRulesMountedBesideIt() {
		assertThat(Maps.list(this.prometheus, "rule_files")).containsExactly("alerts.yml");
		List<String> volumes = this.compose.volumes("prometheus");
		assertThat(volumes).contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
				"./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
		assertThat(Maps.list(this.compose.service("prometheus"), "command"))
			.contains("--config.file=/etc/prometheus/prometheus.yml");
	}

	private Map<String, Object> job(String name) {
		return Maps.list(this.prometheus, "scrape_configs")
			.stream()
			.map(Maps::of)
			.filter((job) -> name.equals(job.get("job_name")))
			.findFirst()
			.orElse(Map.of());
	}

}
