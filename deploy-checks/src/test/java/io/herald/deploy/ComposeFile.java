package io.herald.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code docker-compose.yml} at the repository's root, parsed (anchors and merge keys
 * resolved) but not interpolated: values keep their {@code ${VARIABLE:-default}} text.
 */
final class ComposeFile {

	static final Path PATH = Repository.file("docker-compose.yml");

	private final Map<String, Object> document;

	ComposeFile() {
		this.document = Repository.yaml(PATH);
	}

	Map<String, Object> document() {
		return this.document;
	}

	Map<String, Object> services() {
		return Maps.map(this.document, "services");
	}

	Map<String, Object> service(String name) {
		return Maps.map(services(), name);
	}

	/** A service's environment, from the map form or the {@code KEY=value} list form. */
	Map<String, String> environment(String service) {
		Object environment = service(service).get("environment");
		Map<String, String> variables = new LinkedHashMap<>();
		if (environment instanceof Map<?, ?> map) {
			map.forEach((key, value) -> variables.put(String.valueOf(key), (value != null) ? value.toString() : ""));
		}
		for (Object entry : Maps.list(environment)) {
			String[] pair = entry.toString().split("=", 2);
			variables.put(pair[0], (pair.length > 1) ? pair[1] : "");
		}
		return variables;
	}

	/** A service's port mappings in the short form, {@code HOST:CONTAINER}. */
	List<String> ports(String service) {
		return Maps.list(service(service), "ports").stream().map(Object::toString).toList();
	}

	/** The services this one depends on, with their conditions. */
	Map<String, Object> dependsOn(String service) {
		return Maps.map(service(service), "depends_on");
	}

	/** A service's volumes in the short form, {@code SOURCE:TARGET[:MODE]}. */
	List<String> volumes(String service) {
		return Maps.list(service(service), "volumes").stream().map(Object::toString).toList();
	}

}
