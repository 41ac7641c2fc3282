package io.herald.infra.contract;

import io.herald.infra.RawHttp;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's OpenAPI 3.1 document, as a checker of real answers: whether the status is
 * documented for the operation, the body is of the documented media type and schema,
 * every problem detail in it has a {@code code} the response lists in
 * {@code x-herald-codes}, and the headers the response marks {@code required} are there
 * and of their schema. Remembers which documented responses and problem codes were seen,
 * so that a test can tell which it never produced.
 *
 * <p>
 * A problem detail is any object of a body whose {@code type} starts with
 * {@value #PROBLEM_TYPE_PREFIX} (a batch's entries carry them too); a response without
 * {@code x-herald-codes} must carry none.
 */
public final class OpenApiDocument {

	/** The {@code type} of every Herald problem detail starts so (docs/errors.md). */
	public static final String PROBLEM_TYPE_PREFIX = "urn:herald:problem:";

	private static final Set<String> METHODS = Set.of("get", "head", "put", "post", "patch", "delete", "options");

	private final JsonNode document;

	private final Set<String> seen = new TreeSet<>();

	private final List<String> problems = new ArrayList<>();

	public OpenApiDocument(JsonNode document) {
		this.document = document;
	}

	/** The document of its JSON form ({@code /v1/openapi.json}). */
	public static OpenApiDocument parse(String json) {
		return new OpenApiDocument(JsonMapper.shared().readTree(json));
	}

	/**
	 * The document a service on {@code 127.0.0.1} serves without credentials, checked to
	 * be served as it should: {@code /v1/openapi.json} as JSON and
	 * {@code /v1/openapi.yaml} as YAML, of OpenAPI 3.1.
	 * @throws IllegalStateException when either is not
	 */
	public static OpenApiDocument served(int port) {
		RawHttp.Response json = RawHttp.send(port, "GET", "/v1/openapi.json", Map.of());
		RawHttp.Response yaml = RawHttp.send(port, "GET", "/v1/openapi.yaml", Map.of());
		if (json.status() != 200 || !mediaType(json.header("Content-Type")).equals("application/json")
				|| yaml.status() != 200 || !mediaType(yaml.header("Content-Type")).equals("application/yaml")
				|| !yaml.body().startsWith("openapi: 3.1")) {
			throw new IllegalStateException(
					"The OpenAPI document is not served as JSON and YAML: " + json + " / " + yaml.status());
		}
		return parse(json.body());
	}

	/** The document itself. */
	public JsonNode json() {
		return this.document;
	}

	/** Every operation, as {@code METHOD /path/{variable}}. */
	public Set<String> operations() {
		Set<String> operations = new TreeSet<>();
		this.document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			if (METHODS.contains(operation.getKey())) {
				operations.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
			}
		}));
		return operations;
	}

	/**
	 * Every documented response, as {@code operationId status}, and every problem code a
	 * response lists, as {@code operationId status code}.
	 */
	public Set<String> responses() {
		Set<String> responses = new TreeSet<>();
		this.document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			if (METHODS.contains(operation.getKey())) {
				String id = operation.getValue().get("operationId").stringValue();
				operation.getValue().get("responses").properties().forEach((response) -> {
					String where = id + " " + response.getKey();
					responses.add(where);
					resolve(response.getValue()).path("x-herald-codes")
						.forEach((code) -> responses.add(where + " " + code.stringValue()));
				});
			}
		}));
		return responses;
	}

	/** The documented responses and problem codes no check saw. */
	public Set<String> unseen() {
		Set<String> unseen = new TreeSet<>(responses());
		unseen.removeAll(this.seen);
		return unseen;
	}

	/**
	 * The documented responses and problem codes no check saw, but for those a test does
	 * not produce and says why.
	 * @param notProduced responses as {@code operationId status (why)}, or problem codes
	 * as {@code operationId status code (why)}; a response stands for its codes too
	 */
	public Set<String> unseen(Set<String> notProduced) {
		Set<String> unseen = unseen();
		for (String entry : notProduced) {
			int why = entry.indexOf(" (");
			if (why < 0) {
				throw new IllegalArgumentException(
						"say why '" + entry + "' is not produced: 'operationId status (why)'");
			}
			String response = entry.substring(0, why);
			unseen.removeIf((documented) -> documented.equals(response) || documented.startsWith(response + " "));
		}
		return unseen;
	}

	/**
	 * Checks an answer of an operation against the document and that its status is the
	 * expected one; what is wrong is kept for {@link #problems()}.
	 */
	public void expect(String operationId, int status, Answer answer) {
		if (answer.status() != status) {
			this.problems.add(operationId + ": expected " + status + ", got " + answer);
		}
		this.problems.addAll(check(operationId, answer));
	}

	/** {@link #expect(String, int, Answer)} of an HTTP client's response. */
	public void expect(String operationId, int status, HttpResponse<?> response) {
		expect(operationId, status, Answer.of(response));
	}

	/**
	 * {@link #expect(String, int, Answer)} of a response to a request sent byte for byte.
	 */
	public void expect(String operationId, int status, RawHttp.Response response) {
		expect(operationId, status, Answer.of(response));
	}

	/** What {@link #expect} found wrong so far. */
	public List<String> problems() {
		return List.copyOf(this.problems);
	}

	/**
	 * Checks an answer of an operation against the document.
	 * @return what is wrong, empty when nothing is
	 */
	public List<String> check(String operationId, Answer answer) {
		JsonNode operation = operation(operationId);
		String where = operationId + " " + answer.status();
		JsonNode documented = operation.path("responses").get(Integer.toString(answer.status()));
		List<String> problems = new ArrayList<>();
		if (documented == null) {
			problems.add(where + " is not documented: " + answer);
			return problems;
		}
		this.seen.add(where);
		documented = resolve(documented);
		documented.path("headers")
			.properties()
			.forEach((header) -> checkHeader(where, header.getKey(), resolve(header.getValue()),
					answer.header(header.getKey()), problems));
		JsonNode content = documented.get("content");
		String body = answer.body();
		if (content == null) {
			if (body != null && !body.isEmpty()) {
				problems.add(where + " is documented without a body but has one: " + answer);
			}
			return problems;
		}
		String type = mediaType(answer.header("Content-Type"));
		JsonNode media = content.get(type);
		if (media == null) {
			problems.add(where + " answered " + type + ", documented: " + content.propertyNames());
			return problems;
		}
		if (body == null || !type.endsWith("json")) {
			return problems;
		}
		JsonNode json;
		try {
			json = JsonMapper.shared().readTree(body);
		}
		catch (JacksonException ex) {
			problems.add(where + " answered " + type + " that is not JSON: " + answer);
			return problems;
		}
		if (media.has("schema")) {
			DocumentSchema.of(this.document, media.get("schema"))
				.validate(json)
				.forEach((error) -> problems.add(where + " body " + error));
		}
		List<String> allowed = new ArrayList<>();
		documented.path("x-herald-codes").forEach((code) -> allowed.add(code.stringValue()));
		for (String code : problemCodes(json, new ArrayList<>())) {
			if (allowed.contains(code)) {
				this.seen.add(where + " " + code);
			}
			else {
				problems.add(where + " answered the problem " + code + ", documented: " + allowed);
			}
		}
		return problems;
	}

	private void checkHeader(String where, String name, JsonNode header, @Nullable String value,
			List<String> problems) {
		if (value == null) {
			if (header.path("required").asBoolean(false)) {
				problems.add(where + " lacks the documented header " + name);
			}
			return;
		}
		JsonNode schema = header.get("schema");
		if (schema == null) {
			return;
		}
		JsonNode instance = JsonNodeFactory.instance.stringNode(value);
		if ("integer".equals(resolve(schema).path("type").stringValue(""))) {
			try {
				instance = JsonNodeFactory.instance.numberNode(Long.parseLong(value));
			}
			catch (NumberFormatException ex) {
				problems.add(where + " header " + name + " is not an integer: " + value);
				return;
			}
		}
		DocumentSchema.of(this.document, schema)
			.validate(instance)
			.forEach((error) -> problems.add(where + " header " + name + " " + error));
	}

	/** The {@code code} of every problem detail in a body, at any depth. */
	private static List<String> problemCodes(JsonNode node, List<String> codes) {
		if (node.isObject() && node.path("type").stringValue("").startsWith(PROBLEM_TYPE_PREFIX)) {
			codes.add(node.path("code").stringValue(""));
		}
		if (node.isContainer()) {
			node.forEach((child) -> problemCodes(child, codes));
		}
		return codes;
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

	/** A response, header or schema, or what its {@code $ref} points to. */
	private JsonNode resolve(JsonNode node) {
		JsonNode ref = node.get("$ref");
		return (ref != null) ? this.document.at(ref.stringValue().substring(1)) : node;
	}

	private static String mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return "";
		}
		int semicolon = contentType.indexOf(';');
		return ((semicolon < 0) ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
	}

	/**
	 * An answer of a service, however it was received.
	 *
	 * @param status the status code
	 * @param headers the header values by name in lower case
	 * @param body the body as text, {@code null} when it was not read (a stream)
	 */
	public record Answer(int status, Map<String, List<String>> headers, @Nullable String body) {

		public Answer {
			Map<String, List<String>> lowerCase = new LinkedHashMap<>();
			headers.forEach((name, values) -> lowerCase.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
			headers = Map.copyOf(lowerCase);
		}

		/**
		 * An HTTP client's response; a body that is not a string (a stream) counts as not
		 * read.
		 */
		public static Answer of(HttpResponse<?> response) {
			return new Answer(response.statusCode(), response.headers().map(),
					(response.body() instanceof String text) ? text : null);
		}

		/** A response to a request sent byte for byte. */
		public static Answer of(RawHttp.Response response) {
			Map<String, List<String>> headers = new LinkedHashMap<>();
			response.headers().forEach((name, value) -> headers.put(name, List.of(value)));
			return new Answer(response.status(), headers, response.body());
		}

		/** A header's first value, by its name in any case, or {@code null}. */
		public @Nullable String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values == null || values.isEmpty()) ? null : values.get(0);
		}

		@Override
		public String toString() {
			return this.status + " " + ((this.body != null) ? this.body : "(body not read)");
		}

	}

}
