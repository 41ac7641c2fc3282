package io.herald.support.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class FieldProblemsTests {

	private static final JsonNode BODY = JsonMapper.builder().build().readTree("""
			{"name": "Ada", "age": 36, "nickname": null}""");

	@Test
	void keepsProblemsInTheOrderTheyWereNoted() {
		FieldProblems problems = new FieldProblems();
		assertThat(problems.isEmpty()).isTrue();

		problems.add("name", "must be a string");
		problems.add("", "must be a JSON object");

		assertThat(problems.isEmpty()).isFalse();
		assertThat(problems.list()).containsExactly(new FieldProblem("name", "must be a string"),
				FieldProblems.NOT_AN_OBJECT);
	}

	@Test
	void aListTakenEarlierDoesNotChangeWithLaterProblems() {
		FieldProblems problems = new FieldProblems();
		problems.add("name", "must be a string");
		var first = problems.list();

		problems.add("age", "must be a number");

		assertThat(first).hasSize(1);
	}

	@Test
	void readsAnAbsentFieldAndJsonNullAlike() {
		assertThat(FieldProblems.present(BODY.get("nickname"))).isNull();
		assertThat(FieldProblems.present(BODY.get("email"))).isNull();
		assertThat(FieldProblems.present(BODY.path("email"))).isNull();
		assertThat(FieldProblems.present(BODY.get("name"))).isNotNull();
	}

	@Test
	void readsTextOnlyFromStrings() {
		assertThat(FieldProblems.text(BODY.get("name"))).isEqualTo("Ada");
		assertThat(FieldProblems.text(BODY.get("age"))).isNull();
		assertThat(FieldProblems.text(BODY.get("nickname"))).isNull();
		assertThat(FieldProblems.text(null)).isNull();
	}

}
