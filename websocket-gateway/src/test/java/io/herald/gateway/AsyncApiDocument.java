package io.herald.gateway;

import io.herald.events.JsonCodec;
import io.herald.infra.contract.DocumentSchema;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The gateway's AsyncAPI 3 document ({@code asyncapi/asyncapi.yaml}, served at
 * {@code /v1/asyncapi.json}), as a checker of frames and records: a frame belongs to the
 * message of an operation whose payload's {@code type} is the frame's, must be valid
 * against its schema, and may have no top-level field the schema does not name (clients
 * may ignore unknown fields; the document must not have any).
 */
public final class AsyncApiDocument {

	private final JsonNode document;

	private AsyncApiDocument(JsonNode document) {
		this.document = document;
	}

	/** The document the gateway serves, read from its class path. */
	public static AsyncApiDocument load() {
		try (InputStream in = new ClassPathResource("asyncapi/asyncapi.yaml").getInputStream()) {
			Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
			return new AsyncApiDocument(JsonCodec.MAPPER.valueToTree(yaml));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The document of its JSON form. */
	public static AsyncApiDocument parse(String json) {
		return new AsyncApiDocument(JsonCodec.MAPPER.readTree(json));
	}

	public JsonNode json() {
		return this.document;
	}

	/** The messages of an operation, by their payload's {@code type}. */
	public Map<String, JsonNode> frames(String operationId) {
		Map<String, JsonNode> frames = new LinkedHashMap<>();
		for (JsonNode reference : this.document.at("/operations/" + operationId + "/messages")) {
			JsonNode message = resolve(reference);
			frames.put(resolve(message.get("payload")).at("/properties/type/const").stringValue(), message);
		}
		return frames;
	}

	/** A message of {@code components/messages}. */
	public JsonNode message(String name) {
		return this.document.at("/components/messages/" + name);
	}

	/**
	 * Checks a frame as a message of an operation.
	 * @return what is wrong, empty when nothing is
	 */
	public List<String> checkFrame(String operationId, JsonNode frame) {
		String type = frame.path("type").stringValue("");
		JsonNode message = frames(operationId).get(type);
		if (message == null) {
			return List.of(operationId + ": no message of type '" + type + "' for " + frame);
		}
		List<String> problems = new ArrayList<>(checkPayload(message, frame));
		Set<String> named = new TreeSet<>(resolve(message.get("payload")).get("properties").propertyNames());
		frame.propertyNames()
			.stream()
			.filter((field) -> !named.contains(field))
			.forEach((field) -> problems
				.add(operationId + " " + type + ": the field '" + field + "' is not in the document: " + frame));
		return problems;
	}

	/**
	 * Checks a payload against a message's payload schema.
	 * @return what is wrong, empty when nothing is
	 */
	public List<String> checkPayload(JsonNode message, JsonNode payload) {
		return DocumentSchema.of(this.document, message.get("payload"))
			.validate(payload)
			.stream()
			.map((error) -> message.path("name").stringValue("") + ": " + error + " in " + payload)
			.toList();
	}

	/** The node a {@code $ref} points to (again, while it is one), or the node itself. */
	public JsonNode resolve(JsonNode node) {
		JsonNode resolved = node;
		while (resolved.has("$ref")) {
			resolved = this.document.at(resolved.get("$ref").stringValue().substring(1));
		}
		return resolved;
	}

}
