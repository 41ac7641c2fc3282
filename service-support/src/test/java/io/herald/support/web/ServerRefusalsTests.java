package io.herald.support.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ServerRefusalsTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void requestLineTheServerCannotReadIsAnInvalidRequestTargetProblem() {
		JsonNode problem = this.json.readTree(ServerRefusals.json(400));

		assertThat(problem.get("type").stringValue()).isEqualTo("urn:herald:problem:invalid_request_target");
		assertThat(problem.get("code").stringValue()).isEqualTo("invalid_request_target");
		assertThat(problem.get("status").intValue()).isEqualTo(400);
		assertThat(problem.get("title").stringValue()).isNotBlank();
	}

	@Test
	void statusWithoutACodeOfItsOwnIsStillAProblemDetail() {
		JsonNode problem = this.json.readTree(ServerRefusals.json(505));

		assertThat(problem.get("type").stringValue()).isEqualTo("about:blank");
		assertThat(problem.get("status").intValue()).isEqualTo(505);
		assertThat(problem.has("code")).isFalse();
	}

}
