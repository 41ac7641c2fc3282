package io.herald.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboards and provisioning files and the Prometheus alerting rules, as
 * files: every alert has a severity, a summary and a runbook entry that exists in
 * {@code docs/operations.md}; every dashboard has its own uid, takes its data source from
 * the {@code datasource} variable and is loaded by the provisioning from where Compose
 * mounts it. That the queries return data is checked against the running platform by
 * system-tests' {@code PrometheusQueriesIntegrationTests}.
 */
class ObservabilityFilesTests {

	private static final Pattern HEADING = Pattern.compile("^#{2,4} (.+)$", Pattern.MULTILINE);

	private static final Pattern COMPARISON = Pattern.compile("(?s).+\\s(>|<|>=|<=|==|!=)\\s*[0-9.]+\\s*$");

	private final ComposeFile compose = new ComposeFile();

	@Test
	void everyAlertHasASeverityASummaryAndARunbookEntryThatExists() {
		Set<String> anchors = anchors(Repository.read(Repository.file("docs/operations.md")));
		List<Map<String, Object>> rules = alertRules();
		assertThat(rules).hasSizeGreaterThanOrEqualTo(8);
		Set<String> names = new HashSet<>();
		for (Map<String, Object> rule : rules) {
			String name = Maps.string(rule, "alert");
			assertThat(names.add(name)).as("unique alert name " + name).isTrue();
			assertThat(Maps.string(rule, "labels", "severity")).as(name + " severity").isIn("page", "warn");
			assertThat(Maps.string(rule, "annotations", "summary")).as(name + " summary").isNotBlank();
			String runbook = Maps.string(rule, "annotations", "runbook_url");
			assertThat(runbook).as(name + " runbook_url").startsWith("docs/operations.md#");
			assertThat(anchors).as(name + " runbook entry").contains(runbook.substring(runbook.indexOf('#') + 1));
		}
	}

	@Test
	void everyAlertComparesAQueryWithAThresholdSoTheQueryCanBeCheckedAlone() {
		for (Map<String, Object> rule : alertRules()) {
			assertThat(Maps.string(rule, "expr")).as(Maps.string(rule, "alert")).matches(COMPARISON);
		}
	}

	@Test
	void theAlertsCoverWhatOperatorsMustBeWokenFor() {
		String alerts = Repository.read(Repository.file("deploy/prometheus/alerts.yml"));
		assertThat(alerts).contains("herald_funnel_total{stage=\"sent\"", "herald_funnel_latency_seconds_bucket",
				"herald_kafka_consumer_lag_records", "herald_delivery_requests_total{outcome=\"retried\"}",
				"herald_gateway_session_closes_total", "herald_delivery_sends_total{outcome!=\"sent\"}",
				"resilience4j_circuitbreaker_state");
	}

	@Test
	void everyDashboardHasItsOwnUidAndTakesItsDataSourceFromTheVariable() throws IOException {
		List<Path> dashboards = dashboards();
		assertThat(dashboards).extracting((path) -> path.getFileName().toString())
			.contains("herald-overview.json", "herald-channels.json", "herald-latency.json", "herald-kafka.json",
					"herald-gateway.json", "herald-providers.json");
		Set<String> uids = new HashSet<>();
		for (Path file : dashboards) {
			Map<String, Object> dashboard = Repository.yaml(file);
			String uid = Maps.string(dashboard, "uid");
			assertThat(uids.add(uid)).as("unique uid " + uid).isTrue();
			assertThat(file.getFileName().toString()).isEqualTo(uid + ".json");
			assertThat(Maps.string(dashboard, "title")).startsWith("Herald / ");
			assertThat(Maps.list(dashboard, "templating", "list"))
				.extracting((variable) -> Maps.of(variable).get("name"))
				.contains("datasource");
			List<Map<String, Object>> panels = Maps.list(dashboard, "panels")
				.stream()
				.map(Maps::of)
				.filter((panel) -> !"row".equals(panel.get("type")))
				.toList();
			assertThat(panels).as(uid).isNotEmpty();
			for (Map<String, Object> panel : panels) {
				String title = uid + " / " + panel.get("title");
				assertThat(Maps.string(panel, "datasource", "uid")).as(title).isEqualTo("${datasource}");
				assertThat(Maps.list(panel, "targets")).as(title).isNotEmpty().allSatisfy((target) -> {
					assertThat(Maps.string(Maps.of(target), "expr")).as(title).isNotBlank();
					assertThat(Maps.string(Maps.of(target), "datasource", "uid")).as(title).isEqualTo("${datasource}");
				});
			}
		}
	}

	@Test
	void grafanaLoadsTheDashboardsFromWhereComposeMountsThemAndQueriesComposesPrometheus() {
		Map<String, Object> provider = Maps.of(Maps
			.list(Repository.yaml(Repository.file("deploy/grafana/provisioning/dashboards/herald.yml")), "providers")
			.get(0));
		String path = Maps.string(provider, "options", "path");
		assertThat(this.compose.volumes("grafana")).contains("./deploy/grafana/dashboards:" + path + ":ro",
				"./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
		Map<String, Object> datasource = Maps
			.of(Maps.list(Repository.yaml(Repository.file("deploy/grafana/provisioning/datasources/prometheus.yml")),
					"datasources")
				.get(0));
		assertThat(Maps.string(datasource, "type")).isEqualTo("prometheus");
		assertThat(Maps.string(datasource, "url")).isEqualTo("http://prometheus:9090");
		assertThat(this.compose.services()).containsKey("prometheus");
	}

	private static List<Map<String, Object>> alertRules() {
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Object group : Maps.list(Repository.yaml(Repository.file("deploy/prometheus/alerts.yml")), "groups")) {
			Maps.list(Maps.of(group), "rules").forEach((rule) -> rules.add(Maps.of(rule)));
		}
		return rules;
	}

	private static List<Path> dashboards() throws IOException {
		try (Stream<Path> files = Files.list(Repository.file("deploy/grafana/dashboards"))) {
			return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
	}

	/** The anchors GitHub-flavoured Markdown gives the headings of a document. */
	private static Set<String> anchors(String markdown) {
		Set<String> anchors = new HashSet<>();
		Matcher matcher = HEADING.matcher(markdown);
		while (matcher.find()) {
			anchors
				.add(matcher.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
		}
		return anchors;
	}

}
