package io.herald.infra.contract;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One JSON schema (draft 2020-12) of an API document, OpenAPI 3.1 or AsyncAPI 3, as a
 * validator. References of the form {@code #/components/...} resolve within the document.
 */
public final class DocumentSchema {

	private final Schema schema;

	private DocumentSchema(Schema schema) {
		this.schema = schema;
	}

	/**
	 * The schema of a document.
	 * @param document the whole document, whose {@code components} references point into
	 * @param schema a schema within it, or a reference to one ({@code {"$ref":
	 * "#/components/schemas/X"}})
	 */
	public static DocumentSchema of(JsonNode document, JsonNode schema) {
		ObjectNode root = JsonMapper.shared().createObjectNode();
		root.set("components", document.get("components"));
		root.putArray("allOf").add(schema);
		return new DocumentSchema(
				SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root));
	}

	/**
	 * Validates an instance.
	 * @return each violation as {@code <location> <message>}, empty when the instance is
	 * valid
	 */
	public List<String> validate(JsonNode instance) {
		return this.schema.validate(instance)
			.stream()
			.map((error) -> error.getInstanceLocation() + " " + error.getMessage())
			.toList();
	}

}
