package io.herald.support.web;

import io.herald.events.JsonCodec;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Serves the service's OpenAPI document, {@value #LOCATION} on its class path, at
 * {@code /v1/openapi.yaml} as written and at {@code /v1/openapi.json} as JSON. Both are public
 * ({@link PublicPaths}): they describe the API, not anyone's data. A service without the document
 * answers {@code 404}.
 */
@RestController
class ApiDescriptionController {

	/** Where a service keeps its OpenAPI document. */
	static final String LOCATION = "openapi/openapi.yaml";

	private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

	private final @Nullable String yaml;

	private final @Nullable String json;

	ApiDescriptionController() {
		ClassPathResource resource = new ClassPathResource(LOCATION);
		if (!resource.exists()) {
			this.yaml = null;
			this.json = null;
			return;
		}
		try (InputStream in = resource.getInputStream()) {
			this.yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + LOCATION, ex);
		}
		Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(this.yaml);
		this.json = JsonCodec.MAPPER.writeValueAsString(document);
	}

	@GetMapping("/v1/openapi.yaml")
	ResponseEntity<String> yaml() {
		return answer(this.yaml, YAML);
	}

	@GetMapping("/v1/openapi.json")
	ResponseEntity<String> json() {
		return answer(this.json, MediaType.APPLICATION_JSON);
	}

	private static ResponseEntity<String> answer(@Nullable String body, MediaType type) {
		if (body == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "This service publishes no OpenAPI document.");
		}
		return ResponseEntity.ok().contentType(type).cacheControl(CACHE).body(body);
	}

}
