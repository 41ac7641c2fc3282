package io.herald.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The manifests of {@code deploy/k8s}, every YAML document of every file, read into the
 * Kubernetes API's types (fabric8's model) by {@code apiVersion} and {@code kind}.
 */
final class KubernetesManifests {

	static final Path DIRECTORY = Repository.file("deploy/k8s");

	/**
	 * The Secrets' example, kept out of the kustomization so that applying it never
	 * overwrites real ones.
	 */
	static final String SECRETS_EXAMPLE = "secrets.example.yaml";

	private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of("v1/Namespace", Namespace.class,
			"v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class, "v1/Service", Service.class,
			"apps/v1/Deployment", Deployment.class, "autoscaling/v2/HorizontalPodAutoscaler",
			HorizontalPodAutoscaler.class, "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

	private static final ObjectMapper MAPPER = new ObjectMapper();

	private final List<Manifest> manifests;

	private KubernetesManifests(List<Manifest> manifests) {
		this.manifests = manifests;
	}

	/**
	 * One document of a manifest file.
	 *
	 * @param file the file's name in {@code deploy/k8s}
	 * @param document the document as parsed YAML
	 * @param resource the document as its Kubernetes type, {@code null} if its kind is
	 * not one of those the checks know
	 */
	record Manifest(String file, Map<String, Object> document, HasMetadata resource) {

		String kindAndName() {
			return this.document.get("kind") + " " + Maps.string(this.document, "metadata", "name") + " (" + this.file
					+ ")";
		}

	}

	/**
	 * Every manifest file but {@code kustomization.yaml}, the Secrets' example included.
	 */
	static KubernetesManifests load() {
		List<Manifest> manifests = new ArrayList<>();
		for (Path file : files()) {
			for (Map<String, Object> document : Repository.yamlDocuments(file)) {
				Class<? extends HasMetadata> type = TYPES.get(document.get("apiVersion") + "/" + document.get("kind"));
				HasMetadata resource = (type != null) ? MAPPER.convertValue(document, type) : null;
				manifests.add(new Manifest(file.getFileName().toString(), document, resource));
			}
		}
		return new KubernetesManifests(manifests);
	}

	/** The YAML files of {@code deploy/k8s} but {@code kustomization.yaml}, by name. */
	static List<Path> files() {
		try (Stream<Path> files = Files.list(DIRECTORY)) {
			return files.filter((file) -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
				.filter((file) -> !file.getFileName().toString().equals("kustomization.yaml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	List<Manifest> manifests() {
		return this.manifests;
	}

	List<Deployment> deployments() {
		return resources(Deployment.class);
	}

	List<Service> services() {
		return resources(Service.class);
	}

	List<HorizontalPodAutoscaler> autoscalers() {
		return resources(HorizontalPodAutoscaler.class);
	}

	List<PodDisruptionBudget> disruptionBudgets() {
		return resources(PodDisruptionBudget.class);
	}

	List<ConfigMap> configMaps() {
		return resources(ConfigMap.class);
	}

	List<Secret> secrets() {
		return resources(Secret.class);
	}

	<T extends HasMetadata> List<T> resources(Class<T> type) {
		return this.manifests.stream().map(Manifest::resource).filter(type::isInstance).map(type::cast).toList();
	}

	/** The one resource of a type and name, failing if there is none. */
	<T extends HasMetadata> T resource(Class<T> type, String name) {
		return resources(type).stream()
			.filter((resource) -> name.equals(resource.getMetadata().getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " " + name + " in " + DIRECTORY));
	}

	/**
	 * The fields of a resource that its Kubernetes type does not have, as paths:
	 * fabric8's model keeps them in each object's {@code additionalProperties} rather
	 * than failing, so they are collected from there. A misspelt {@code readinesProbe}
	 * shows up as {@code spec.template.spec.containers[0].readinesProbe}.
	 */
	static List<String> unknownFields(Object resource) {
		List<String> unknown = new ArrayList<>();
		collectUnknownFields(resource, "", unknown);
		return unknown;
	}

	private static void collectUnknownFields(Object value, String path, List<String> unknown) {
		if (value instanceof Collection<?> items) {
			int index = 0;
			for (Object item : items) {
				collectUnknownFields(item, path + "[" + index++ + "]", unknown);
			}
			return;
		}
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, item) -> collectUnknownFields(item, path + "." + key, unknown));
			return;
		}
		if (value == null || !value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
			return;
		}
		for (Method getter : value.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
					|| !getter.getName().startsWith("get")
					|| !getter.getDeclaringClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
				continue;
			}
			Object property = invoke(getter, value);
			if (getter.getName().equals("getAdditionalProperties")) {
				Maps.of(property).keySet().forEach((name) -> unknown.add(path.isEmpty() ? name : path + "." + name));
			}
			else {
				String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
				collectUnknownFields(property, path.isEmpty() ? name : path + "." + name, unknown);
			}
		}
	}

	private static Object invoke(Method getter, Object target) {
		try {
			return getter.invoke(target);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException("Could not read " + getter + " of " + target, ex);
		}
	}

}
