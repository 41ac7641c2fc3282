package io.herald.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Compose Specification's JSON schema (vendored in
 * {@code src/test/resources/compose-spec}), as a validator.
 */
final class ComposeSchema {

	private static final Schema SCHEMA = load();

	private ComposeSchema() {
	}

	/**
	 * What is wrong with a parsed Compose file, one message per error; empty if it is
	 * valid.
	 */
	static List<String> errors(Map<String, Object> compose) {
		JsonNode document = JsonMapper.shared().valueToTree(compose);
		return SCHEMA
			.validate(document, (context) -> context.executionConfig((config) -> config.formatAssertionsEnabled(false)))
			.stream()
			.map((error) -> error.getInstanceLocation() + " " + error.getMessage())
			.toList();
	}

	/**
	 * The vendored Compose Specification schema. Its {@code $schema} names draft 2019-09
	 * by a URI the validator does not know as written (http, trailing {@code #}); it is
	 * removed and the draft given directly, so that nothing is fetched from the network.
	 * Its draft-04 style {@code id}s (fragments such as {@code #/properties/services},
	 * which no {@code $ref} uses) are no keyword of draft 2019-09 and are removed too.
	 * Its {@code format}s (durations such as {@code 10s}, port ranges) are Compose's own,
	 * so they are not asserted.
	 */
	private static Schema load() {
		try (InputStream in = ComposeSchema.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
			JsonNode schema = JsonMapper.shared().readTree(in);
			((ObjectNode) schema).remove("$schema");
			removeIds(schema);
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(schema);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void removeIds(JsonNode node) {
		if (node instanceof ObjectNode object && object.path("id").isString()) {
			object.remove("id");
		}
		node.forEach(ComposeSchema::removeIds);
	}

}
