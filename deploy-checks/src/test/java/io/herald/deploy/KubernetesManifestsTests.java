package io.herald.deploy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/k8s}, checked without a cluster: every document is a Kubernetes resource
 * without unknown fields, and every service has a Deployment that is probed, sized,
 * unprivileged and shut down gracefully on the port and with the variables the service
 * really has, together with the Service, autoscaler and disruption budget that select
 * exactly its pods.
 */
class KubernetesManifestsTests {

	/**
	 * Spring's default {@code spring.lifecycle.timeout-per-shutdown-phase}, which no
	 * service changes.
	 */
	private static final int SHUTDOWN_PHASE_SECONDS = 30;

	private static final KubernetesManifests MANIFESTS = KubernetesManifests.load();

	@Test
	void kustomizationListsEveryManifestButTheSecretsExample() {
		Map<String, Object> kustomization = Repository
			.yaml(KubernetesManifests.DIRECTORY.resolve("kustomization.yaml"));
		assertThat(Maps.list(kustomization, "resources")).map(Object::toString)
			.containsExactlyInAnyOrderElementsOf(KubernetesManifests.files()
				.stream()
				.map((file) -> file.getFileName().toString())
				.filter((name) -> !name.equals(KubernetesManifests.SECRETS_EXAMPLE))
				.toList());
		assertThat(kustomization.get("namespace")).isEqualTo("herald");
	}

	@Test
	void everyDocumentIsAKnownKindWithANameAndNoUnknownField() {
		assertThat(MANIFESTS.manifests()).isNotEmpty().allSatisfy((manifest) -> {
			assertThat(manifest.document()).as(manifest.kindAndName()).containsKeys("apiVersion", "kind", "metadata");
			assertThat(Maps.string(manifest.document(), "metadata", "name")).as(manifest.kindAndName()).isNotBlank();
			assertThat(manifest.resource()).as(manifest.kindAndName() + " is of a kind these checks know").isNotNull();
			assertThat(KubernetesManifests.unknownFields(manifest.resource()))
				.as(manifest.kindAndName() + " unknown fields")
				.isEmpty();
		});
	}

	@Test
	void unknownFieldsAreFound() {
		Map<String, Object> misspelt = Map.of("apiVersion", "v1", "kind", "Service", "metadata", Map.of("name", "x"),
				"spec", Map.of("selectr", Map.of("app", "x"), "ports", List.of(Map.of("port", 80, "targetPrt", 8080))));
		Service service = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(misspelt, Service.class);
		assertThat(KubernetesManifests.unknownFields(service)).containsExactlyInAnyOrder("spec.selectr",
				"spec.ports[0].targetPrt");
	}

	@Test
	void everyServiceHasADeploymentAServiceAnAutoscalerAndADisruptionBudget() {
		for (ServiceModule module : ServiceModule.all()) {
			MANIFESTS.resource(Deployment.class, module.name());
			MANIFESTS.resource(Service.class, module.name());
			MANIFESTS.resource(HorizontalPodAutoscaler.class, module.name());
			MANIFESTS.resource(PodDisruptionBudget.class, module.name());
		}
	}

	@Test
	void containersListenOnTheServicesApiAndManagementPortsAndRunItsImage() {
		for (ServiceModule module : ServiceModule.all()) {
			Container container = container(module);
			assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort)
				.as(module.name() + " container ports")
				.containsExactly(module.port(environment(container)), module.managementPort(environment(container)));
			assertThat(module.managementPort(environment(container))).as(module.name() + " management port")
				.isNotEqualTo(module.port(environment(container)));
			assertThat(container.getImage()).startsWith("herald/" + module.name() + ":");
		}
	}

	@Test
	void containersAreProbedForReadinessAndLivenessOnTheirManagementPort() {
		for (ServiceModule module : ServiceModule.all()) {
			Container container = container(module);
			int port = module.managementPort(environment(container));
			assertProbe(container, container.getReadinessProbe(), "/actuator/health/readiness", port);
			assertProbe(container, container.getLivenessProbe(), "/actuator/health/liveness", port);
			if (container.getStartupProbe() != null) {
				assertProbe(container, container.getStartupProbe(), "/actuator/health/liveness", port);
			}
			assertThat(Maps.string(module.configuration(), "management", "endpoint", "health", "probes", "enabled"))
				.as(module.name() + " management.endpoint.health.probes.enabled")
				.isEqualTo("true");
		}
	}

	@Test
	void containersRequestAndLimitCpuAndMemory() {
		for (ServiceModule module : ServiceModule.all()) {
			Container container = container(module);
			for (String resource : List.of("cpu", "memory")) {
				Quantity request = container.getResources().getRequests().get(resource);
				Quantity limit = container.getResources().getLimits().get(resource);
				assertThat(request).as(module.name() + " requests " + resource).isNotNull();
				assertThat(limit).as(module.name() + " limits " + resource).isNotNull();
				assertThat(limit.getNumericalAmount()).as(module.name() + " " + resource + " limit >= request")
					.isGreaterThanOrEqualTo(request.getNumericalAmount());
			}
		}
	}

	@Test
	void podsRunAsNonRootWithoutPrivilegesOrAWritableImage() {
		for (ServiceModule module : ServiceModule.all()) {
			PodSpec pod = pod(module);
			Container container = container(module);
			assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(module.name() + " runAsNonRoot").isTrue();
			assertThat(pod.getSecurityContext().getRunAsUser()).as(module.name() + " runAsUser").isPositive();
			assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
			assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
			assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
			assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
			assertThat(container.getVolumeMounts()).as(module.name() + " writable /tmp (Tomcat, RocksDB, Netty)")
				.anyMatch((mount) -> mount.getMountPath().equals("/tmp"));
		}
	}

	@Test
	void gracefulShutdownFitsInTheTerminationGracePeriod() {
		for (ServiceModule module : ServiceModule.all()) {
			assertThat(Maps.string(module.configuration(), "server", "shutdown")).as(module.name() + " server.shutdown")
				.isEqualTo("graceful");
			List<String> preStop = container(module).getLifecycle().getPreStop().getExec().getCommand();
			assertThat(preStop).as(module.name() + " preStop").hasSize(2).first().isEqualTo("sleep");
			int drain = Integer.parseInt(preStop.get(1));
			assertThat(pod(module).getTerminationGracePeriodSeconds())
				.as(module.name() + " terminationGracePeriodSeconds")
				.isGreaterThan(drain + SHUTDOWN_PHASE_SECONDS);
		}
	}

	@Test
	void prometheusScrapesTheManagementPort() {
		for (ServiceModule module : ServiceModule.all()) {
			Map<String, String> annotations = MANIFESTS.resource(Deployment.class, module.name())
				.getSpec()
				.getTemplate()
				.getMetadata()
				.getAnnotations();
			assertThat(annotations.get("prometheus.io/port")).as(module.name() + " prometheus.io/port")
				.isEqualTo(Integer.toString(module.managementPort(environment(container(module)))));
			assertThat(annotations.get("prometheus.io/path")).isEqualTo("/actuator/prometheus");
		}
	}

	/**
	 * A service's Service exposes its API port only: the management port stays inside the
	 * pod network (routing's has a Service of its own for the gateway, checked below).
	 */
	@Test
	void servicesSelectOnlyTheirDeploymentsPodsAndTargetOnlyItsApiPort() {
		for (ServiceModule module : ServiceModule.all()) {
			Service service = MANIFESTS.resource(Service.class, module.name());
			Map<String, String> selector = service.getSpec().getSelector();
			for (Deployment deployment : MANIFESTS.deployments()) {
				boolean selects = labels(deployment).entrySet().containsAll(selector.entrySet());
				assertThat(selects)
					.as("Service " + module.name() + " selects the pods of " + deployment.getMetadata().getName())
					.isEqualTo(deployment.getMetadata().getName().equals(module.name()));
			}
			Container container = container(module);
			assertThat(service.getSpec().getPorts())
				.allSatisfy((port) -> assertThat(resolve(container, port.getTargetPort()))
					.as(module.name() + " Service targetPort")
					.isEqualTo(module.port(environment(container))));
		}
	}

	/**
	 * The gateway reads and writes users' preferences on routing's management port: a
	 * Service of that port alone, named by the gateway's URL, selecting routing's pods,
	 * and the preferences token from a Secret that routing reads too; never routing's
	 * internal token, which reads every user's state.
	 */
	@Test
	void theGatewayReachesRoutingsManagementPortWithThePreferencesTokenOnly() {
		ServiceModule routing = ServiceModule.named("routing-service");
		ServiceModule gateway = ServiceModule.named("websocket-gateway");
		Container routingContainer = container(routing);
		Container gatewayContainer = container(gateway);
		String url = environment(gatewayContainer).get("HERALD_GATEWAY_PREFERENCES_ROUTINGURL");
		assertThat(url).as("the gateway's HERALD_GATEWAY_PREFERENCES_ROUTINGURL").isNotBlank();
		URI routingUrl = URI.create(url);
		assertThat(routingUrl.getScheme()).isEqualTo("http");
		assertThat(routingUrl.getPath()).isEmpty();
		String serviceName = routingUrl.getHost().split("\\.", 2)[0];
		assertThat(routingUrl.getHost()).isIn(serviceName, serviceName + ".herald", serviceName + ".herald.svc",
				serviceName + ".herald.svc.cluster.local");
		Service service = MANIFESTS.resource(Service.class, serviceName);
		Map<String, String> selector = service.getSpec().getSelector();
		assertThat(MANIFESTS.deployments())
			.filteredOn((deployment) -> labels(deployment).entrySet().containsAll(selector.entrySet()))
			.extracting((deployment) -> deployment.getMetadata().getName())
			.as("Service " + serviceName + " selects")
			.containsExactly(routing.name());
		assertThat(service.getSpec().getPorts()).as("Service " + serviceName + " ports")
			.singleElement()
			.satisfies((port) -> {
				assertThat(port.getPort()).as("the port of the gateway's URL").isEqualTo(routingUrl.getPort());
				assertThat(resolve(routingContainer, port.getTargetPort())).as("routing's management port")
					.isEqualTo(routing.managementPort(environment(routingContainer)));
			});

		String token = "HERALD_ROUTING_PREFERENCESTOKEN";
		assertThat(gateway.reads(token)).isTrue();
		assertThat(routing.reads(token)).isTrue();
		List<String> gatewaySecrets = secretsWith(gatewayContainer, token);
		assertThat(gatewaySecrets).as("Secrets giving the gateway " + token).hasSize(1);
		assertThat(secretsWith(routingContainer, token)).as("routing reads the gateway's Secret")
			.isEqualTo(gatewaySecrets);
		assertThat(environment(gatewayContainer)).as("the gateway holds routing's internal token")
			.doesNotContainKey("HERALD_ROUTING_INTERNALTOKEN");
		assertThat(secret(gatewaySecrets.get(0)).getStringData()).as("what the gateway's Secret holds")
			.containsOnlyKeys(token);
		assertThat(environment(routingContainer)).containsKey("HERALD_ROUTING_INTERNALTOKEN");
	}

	/**
	 * Only the management Service the gateway names exposes a management port; every
	 * other Service is a service's API Service.
	 */
	@Test
	void noOtherServiceExposesAManagementPort() {
		String url = environment(container(ServiceModule.named("websocket-gateway")))
			.get("HERALD_GATEWAY_PREFERENCES_ROUTINGURL");
		String management = URI.create(url).getHost().split("\\.", 2)[0];
		List<String> apiServices = ServiceModule.all().stream().map(ServiceModule::name).toList();
		assertThat(MANIFESTS.manifests()).filteredOn((manifest) -> "Service".equals(manifest.document().get("kind")))
			.extracting((manifest) -> Maps.string(manifest.document(), "metadata", "name"))
			.allMatch((name) -> apiServices.contains(name) || name.equals(management));
	}

	private List<String> secretsWith(Container container, String key) {
		return container.getEnvFrom()
			.stream()
			.filter((source) -> source.getSecretRef() != null)
			.map((source) -> source.getSecretRef().getName())
			.filter((name) -> secret(name).getStringData().containsKey(key))
			.toList();
	}

	@Test
	void autoscalersAndDisruptionBudgetsKeepTwoPodsAndTakeOneAtATime() {
		for (ServiceModule module : ServiceModule.all()) {
			Deployment deployment = MANIFESTS.resource(Deployment.class, module.name());
			assertThat(deployment.getSpec().getReplicas()).as(module.name() + " replicas, owned by its autoscaler")
				.isNull();
			assertThat(labels(deployment)).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

			HorizontalPodAutoscaler autoscaler = MANIFESTS.resource(HorizontalPodAutoscaler.class, module.name());
			assertThat(autoscaler.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
			assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
			assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(module.name());
			assertThat(autoscaler.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
			assertThat(autoscaler.getSpec().getMaxReplicas())
				.isGreaterThanOrEqualTo(autoscaler.getSpec().getMinReplicas());
			autoscaler.getSpec()
				.getMetrics()
				.stream()
				.filter((metric) -> metric.getResource() != null)
				.forEach((metric) -> assertThat(container(module).getResources().getRequests())
					.as(module.name() + " autoscales on a resource it requests")
					.containsKey(metric.getResource().getName()));

			PodDisruptionBudget budget = MANIFESTS.resource(PodDisruptionBudget.class, module.name());
			assertThat(budget.getSpec().getSelector().getMatchLabels())
				.isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
			assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
		}
	}

	@Test
	void kafkaConsumersDoNotScalePastTheirPartitions() {
		int partitions = Integer.parseInt(configMap("herald-kafka").getData().get("HERALD_KAFKA_PARTITIONS"));
		Map<String, Integer> threadsPerReplica = Map.of("routing-service",
				number(ServiceModule.named("routing-service").configuration(), "spring", "kafka", "streams",
						"properties", "num.stream.threads"),
				"delivery-service",
				Math.max(
						number(ServiceModule.named("delivery-service").configuration(), "herald", "delivery",
								"dispatch", "priority-consumers"),
						number(ServiceModule.named("delivery-service").configuration(), "herald", "delivery",
								"dispatch", "bulk-consumers")));
		threadsPerReplica.forEach((service,
				threads) -> assertThat(
						MANIFESTS.resource(HorizontalPodAutoscaler.class, service).getSpec().getMaxReplicas() * threads)
					.as(service + ": max replicas x consumer threads per replica <= partitions")
					.isLessThanOrEqualTo(partitions));
	}

	@Test
	void containersAreGivenOnlyHeraldVariablesTheirServiceReads() {
		for (ServiceModule module : ServiceModule.all()) {
			assertThat(environment(container(module)).keySet()).filteredOn((name) -> name.startsWith("HERALD_"))
				.as(module.name() + " reads each HERALD_* variable it is given")
				.allMatch(module::reads);
		}
	}

	@Test
	void routingAdvertisesItsPodAddressAndKeepsItsStoresOnAVolume() {
		Container routing = container(ServiceModule.named("routing-service"));
		EnvVar advertised = routing.getEnv()
			.stream()
			.filter((variable) -> variable.getName().equals("HERALD_ROUTING_ADVERTISED_HOST"))
			.findFirst()
			.orElseThrow();
		assertThat(advertised.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
		assertThat(routing.getVolumeMounts())
			.anyMatch((mount) -> mount.getMountPath().equals(environment(routing).get("HERALD_DATA_DIR")));
	}

	@Test
	void everyConfigMapAndSecretAContainerReadsIsDefined() {
		for (ServiceModule module : ServiceModule.all()) {
			for (EnvFromSource source : container(module).getEnvFrom()) {
				if (source.getConfigMapRef() != null) {
					configMap(source.getConfigMapRef().getName());
				}
				if (source.getSecretRef() != null) {
					secret(source.getSecretRef().getName());
				}
			}
		}
	}

	@Test
	void secretsInTheRepositoryHoldOnlyPlaceholders() {
		assertThat(MANIFESTS.manifests()).filteredOn((manifest) -> "Secret".equals(manifest.document().get("kind")))
			.allSatisfy((manifest) -> {
				assertThat(manifest.file()).isEqualTo(KubernetesManifests.SECRETS_EXAMPLE);
				Secret secret = (Secret) manifest.resource();
				assertThat(secret.getData()).as(manifest.kindAndName() + " data").isNullOrEmpty();
				assertThat(secret.getStringData().values()).as(manifest.kindAndName()).allMatch("CHANGE-ME"::equals);
			});
	}

	private void assertProbe(Container container, Probe probe, String path, int port) {
		assertThat(probe).as(container.getName() + " probe on " + path).isNotNull();
		assertThat(probe.getHttpGet().getPath()).as(container.getName() + " probe path").isEqualTo(path);
		assertThat(resolve(container, probe.getHttpGet().getPort())).as(container.getName() + " " + path + " port")
			.isEqualTo(port);
	}

	/**
	 * A port by number or by the name of one of the container's ports; {@code null} if it
	 * names none.
	 */
	private static Integer resolve(Container container, IntOrString port) {
		if (port.getIntVal() != null) {
			return container.getPorts()
				.stream()
				.map(ContainerPort::getContainerPort)
				.filter(port.getIntVal()::equals)
				.findFirst()
				.orElse(null);
		}
		return container.getPorts()
			.stream()
			.filter((candidate) -> port.getStrVal().equals(candidate.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst()
			.orElse(null);
	}

	/**
	 * The variables a container starts with: the keys of the ConfigMaps and Secrets it
	 * loads, then its own {@code env} (which wins); values from a field reference are
	 * left empty.
	 */
	private Map<String, String> environment(Container container) {
		Map<String, String> environment = new LinkedHashMap<>();
		for (EnvFromSource source : container.getEnvFrom()) {
			if (source.getConfigMapRef() != null) {
				environment.putAll(configMap(source.getConfigMapRef().getName()).getData());
			}
			if (source.getSecretRef() != null) {
				environment.putAll(secret(source.getSecretRef().getName()).getStringData());
			}
		}
		for (EnvVar variable : container.getEnv()) {
			environment.put(variable.getName(), Objects.requireNonNullElse(variable.getValue(), ""));
		}
		return environment;
	}

	private PodSpec pod(ServiceModule module) {
		return MANIFESTS.resource(Deployment.class, module.name()).getSpec().getTemplate().getSpec();
	}

	private Container container(ServiceModule module) {
		List<Container> containers = pod(module).getContainers();
		assertThat(containers).as(module.name() + " containers").hasSize(1);
		assertThat(containers.get(0).getName()).isEqualTo(module.name());
		return containers.get(0);
	}

	private static Map<String, String> labels(Deployment deployment) {
		return deployment.getSpec().getTemplate().getMetadata().getLabels();
	}

	private ConfigMap configMap(String name) {
		return MANIFESTS.resource(ConfigMap.class, name);
	}

	private Secret secret(String name) {
		return MANIFESTS.resource(Secret.class, name);
	}

	private static int number(Map<String, Object> configuration, String... path) {
		return Integer.parseInt(String.valueOf(Maps.at(configuration, path)));
	}

}
