package io.herald.support.web;

import io.herald.events.JsonCodec;
import jakarta.servlet.http.HttpServletRequest;
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
 * Serves the service's API documents as written (YAML) and as JSON: its OpenAPI document,
 * {@value #OPENAPI} on its class path, at {@code /v1/openapi.yaml} and
 * {@code /v1/openapi.json}, and its AsyncAPI document, {@value #ASYNCAPI}, at
 * {@code /v1/asyncapi.yaml} and {@code /v1/asyncapi.json}. All are public
 * ({@link PublicPaths}): they describe the API, not anyone's data. A service without a
 * document answers {@code 404} for it.
 */
@RestController
class ApiDescriptionController {

	/** Where a service keeps its OpenAPI document. */
	static final String OPENAPI = "openapi/openapi.yaml";

	/** Where a service keeps its AsyncAPI document. */
	static final String ASYNCAPI = "asyncapi/asyncapi.yaml";

	private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

	private final @Nullable Document openApi = Document.load(OPENAPI);

	private final @Nullable Document asyncApi = Document.load(ASYNCAPI);

	@GetMapping({ "/v1/openapi.yaml", "/v1/openapi.json", "/v1/asyncapi.yaml", "/v1/asyncapi.json" })
	ResponseEntity<String> document(HttpServletRequest request) {
		String path = ApiRequestFilter.normalizedPath(request);
		boolean openApi = path.startsWith("/v1/openapi.");
		Document document = openApi ? this.openApi : this.asyncApi;
		if (document == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND,
					"This service publishes no " + (openApi ? "OpenAPI" : "AsyncAPI") + " document.");
		}
		boolean json = path.endsWith(".json");
		return ResponseEntity.ok()
			.contentType(json ? MediaType.APPLICATION_JSON : YAML)
			.cacheControl(CACHE)
			.body(json ? document.json() : document.yaml());
	}

	/**
	 * A document as written and as JSON.
	 *
	 * @param yaml the document as written
	 * @param json the same as JSON
	 */
	private record Document(String yaml, String json) {

		/**
		 * The document at a location on the class path, {@code null} when there is none.
		 */
		static @Nullable Document load(String location) {
			ClassPathResource resource = new ClassPathResource(location);
			if (!resource.exists()) {
				return null;
			}
			String yaml;
			try (InputStream in = resource.getInputStream()) {
				yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read " + location, ex);
			}
			Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
			return new Document(yaml, JsonCodec.MAPPER.writeValueAsString(document));
		}

	}

}
