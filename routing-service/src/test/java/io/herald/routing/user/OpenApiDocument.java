package io.herald.routing.user;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.herald.routing.RoutingTestSupport.Response;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's OpenAPI 3.1 document, as a checker of real answers: whether the status is documented
 * for the operation, the body is of the documented schema, a problem's {@code code} is one the
 * response lists in {@code x-herald-codes}, and the documented headers are there. Remembers which
 * documented responses were seen, so a test can tell which it never produced.
 */
final class OpenApiDocument {

	private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");

	private final JsonNode document;

	private final Set<String> seen = new TreeSet<>();

	OpenApiDocument(JsonNode document) {
		this.document = document;
	}

	/** Every operation, as {@code METHOD /path/{variable}}. */
	Set<String> operations() {
		Set<String> operations = new TreeSet<>();
		this.document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			if (METHODS.contains(operation.getKey())) {
				operations.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
			}
		}));
		return operations;
	}

	/** Every documented response, as {@code operationId status}. */
	Set<String> responses() {
		Set<String> responses = new TreeSet<>();
		this.document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			if (METHODS.contains(operation.getKey())) {
				String id = operation.getValue().get("operationId").stringValue();
				operation.getValue().get("responses").propertyNames().forEach((status) -> responses.add(id + " " + status));
			}
		}));
		return responses;
	}

	/** The documented responses no {@link #check} saw. */
	Set<String> unseen() {
		Set<String> unseen = new TreeSet<>(responses());
		unseen.removeAll(this.seen);
		return unseen;
	}

	/**
	 * Checks an answer of an operation against the document.
	 * @return what is wrong, empty when nothing is
	 */
	List<String> check(String operationId, Response response) {
		JsonNode operation = operation(operationId);
		String status = Integer.toString(response.status());
		String where = operationId + " " + status;
		JsonNode documented = operation.path("responses").get(status);
		List<String> problems = new ArrayList<>();
		if (documented == null) {
			problems.add(where + " is not documented: " + response);
			return problems;
		}
		this.seen.add(where);
		documented = resolve(documented);
		for (String header : documented.path("headers").propertyNames()) {
			if (response.header(header) == null) {
				problems.add(where + " lacks the documented header " + header);
			}
		}
		JsonNode content = documented.get("content");
		if (content == null) {
			if (!response.body().isEmpty()) {
				problems.add(where + " is documented without a body but has one: " + response.body());
			}
			return problems;
		}
		String type = mediaType(response.header("Content-Type"));
		JsonNode media = content.get(type);
		if (media == null) {
			problems.add(where + " answered " + type + ", documented: " + content.propertyNames());
			return problems;
		}
		JsonNode body = JsonMapper.shared().readTree(response.body());
		schema(media.get("schema")).validate(body)
			.forEach((error) -> problems.add(where + " body " + error.getInstanceLocation() + " " + error.getMessage()));
		JsonNode codes = documented.get("x-herald-codes");
		if (codes != null) {
			List<String> allowed = new ArrayList<>();
			codes.forEach((code) -> allowed.add(code.stringValue()));
			String code = body.path("code").asString("");
			if (!allowed.contains(code)) {
				problems.add(where + " answered the problem " + code + ", documented: " + allowed);
			}
		}
		return problems;
	}

	private JsonNode operation(String operationId) {
		for (JsonNode path : this.document.get("paths")) {
			for (String method : METHODS) {
				JsonNode operation = path.get(method);
				if (operation != null && operation.path("operationId").stringValue("").equals(operationId)) {
					return operation;
				}
			}
		}
		throw new IllegalArgumentException("no operation " + operationId);
	}

	/** A response, or what its {@code $ref} points to. */
	private JsonNode resolve(JsonNode node) {
		JsonNode ref = node.get("$ref");
		return (ref != null) ? this.document.at(ref.stringValue().substring(1)) : node;
	}

	/** A schema of the document as a validator, resolving its references within the document. */
	private Schema schema(JsonNode schema) {
		ObjectNode root = JsonMapper.shared().createObjectNode();
		root.set("components", this.document.get("components"));
		root.putArray("allOf").add(schema);
		return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root);
	}

	private static String mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return "";
		}
		int semicolon = contentType.indexOf(';');
		return ((semicolon < 0) ? contentType : contentType.substring(0, semicolon)).trim();
	}

}
