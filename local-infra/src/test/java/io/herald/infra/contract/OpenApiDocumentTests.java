package io.herald.infra.contract;

import io.herald.infra.contract.OpenApiDocument.Answer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OpenApiDocumentTests {

	private static final String DOCUMENT = """
			{"openapi": "3.1.0", "paths": {"/v1/things/{id}": {"get": {"operationId": "getThing", "responses": {
			  "200": {"description": "a thing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
			  "204": {"description": "nothing"},
			  "404": {"$ref": "#/components/responses/NotFound"},
			  "503": {"description": "later", "headers": {"Retry-After": {"required": true, "schema": {"type": "integer", "minimum": 1}}},
			          "content": {"application/problem+json": {}}, "x-herald-codes": ["service_unavailable"]}}},
			  "options": {"operationId": "preflight", "responses": {"200": {"description": "allowed"}}}}},
			 "components": {
			  "schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}},
			  "responses": {"NotFound": {"description": "none", "content": {"application/problem+json": {}},
			                "x-herald-codes": ["not_found", "invalid_request_target"]}}}}""";

	private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

	private static final Map<String, List<String>> PROBLEM = Map.of("content-type",
			List.of("application/problem+json"));

	@Test
	void operationsAndResponsesIncludeEveryMethodAndProblemCode() {
		OpenApiDocument document = OpenApiDocument.parse(DOCUMENT);
		assertThat(document.operations()).containsExactly("GET /v1/things/{id}", "OPTIONS /v1/things/{id}");
		assertThat(document.responses()).contains("getThing 404", "getThing 404 not_found",
				"getThing 404 invalid_request_target", "preflight 200");
	}

	@Test
	void anAnswerAsDocumentedPassesAndCountsAsSeen() {
		OpenApiDocument document = OpenApiDocument.parse(DOCUMENT);
		assertThat(document.check("getThing", new Answer(200, JSON, "{\"id\": \"t-1\"}"))).isEmpty();
		assertThat(document.check("getThing", new Answer(404, PROBLEM, problem("not_found")))).isEmpty();
		assertThat(document.check("getThing",
				new Answer(503, with(PROBLEM, "Retry-After", "5"), problem("service_unavailable"))))
			.isEmpty();
		assertThat(document.unseen()).containsExactlyInAnyOrder("getThing 204", "getThing 404 invalid_request_target",
				"preflight 200");
	}

	@Test
	void responsesATestSaysItDoesNotProduceAreNotUnseenWithTheirCodes() {
		OpenApiDocument document = OpenApiDocument.parse(DOCUMENT);
		assertThat(document.unseen(Set.of("getThing 404 (needs a fault)", "getThing 503 service_unavailable (as 404)",
				"getThing 200 (as 404)", "getThing 204 (as 404)", "preflight 200 (as 404)")))
			.containsExactly("getThing 503");
		assertThatIllegalArgumentException().isThrownBy(() -> document.unseen(Set.of("getThing 404")));
	}

	@Test
	void whatDriftsFromTheDocumentIsNamed() {
		OpenApiDocument document = OpenApiDocument.parse(DOCUMENT);
		assertThat(document.check("getThing", new Answer(500, PROBLEM, problem("internal")))).singleElement()
			.asString()
			.contains("getThing 500 is not documented");
		assertThat(document.check("getThing", new Answer(200, JSON, "{\"name\": 1}"))).singleElement()
			.asString()
			.contains("getThing 200 body");
		assertThat(document.check("getThing", new Answer(200, Map.of("Content-Type", List.of("text/plain")), "x")))
			.singleElement()
			.asString()
			.contains("answered text/plain");
		assertThat(document.check("getThing", new Answer(404, PROBLEM, problem("forbidden")))).singleElement()
			.asString()
			.contains("answered the problem forbidden");
		assertThat(document.check("getThing", new Answer(503, PROBLEM, problem("service_unavailable")))).singleElement()
			.asString()
			.contains("lacks the documented header Retry-After");
		assertThat(document.check("getThing",
				new Answer(503, with(PROBLEM, "Retry-After", "soon"), problem("service_unavailable"))))
			.singleElement()
			.asString()
			.contains("is not an integer");
		assertThat(document.check("getThing", new Answer(204, Map.of(), "{}"))).singleElement()
			.asString()
			.contains("documented without a body");
		assertThat(document.check("getThing", new Answer(200, JSON, "{\"id\": \"t\", \"more\": " + problem("x") + "}")))
			.singleElement()
			.asString()
			.contains("answered the problem x");
	}

	@Test
	void expectNamesAnUnexpectedStatusToo() {
		OpenApiDocument document = OpenApiDocument.parse(DOCUMENT);
		document.expect("getThing", 200, new Answer(204, Map.of(), ""));
		assertThat(document.problems()).singleElement().asString().contains("expected 200, got 204");
	}

	@Test
	void aStreamedBodyIsCheckedForItsMediaTypeOnly() {
		OpenApiDocument document = OpenApiDocument.parse(DOCUMENT);
		assertThat(document.check("getThing", new Answer(200, JSON, null))).isEmpty();
	}

	private static String problem(String code) {
		return "{\"type\": \"urn:herald:problem:" + code + "\", \"title\": \"t\", \"status\": 400, \"code\": \"" + code
				+ "\"}";
	}

	private static Map<String, List<String>> with(Map<String, List<String>> headers, String name, String value) {
		Map<String, List<String>> all = new HashMap<>(headers);
		all.put(name, List.of(value));
		return all;
	}

}
