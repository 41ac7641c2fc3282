package io.herald.routing.user;

import io.herald.support.web.ApiProblemException;
import io.herald.support.web.FieldProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class PathVariablesTests {

	@ParameterizedTest
	@ValueSource(strings = { "u-42", "ada@example.com", "tenant:user", "+4915112345678", "a.b_c", "U" })
	void acceptsUserIds(String userId) {
		assertThatNoException().isThrownBy(() -> PathVariables.requireUserId(userId));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "acme|u-1", "{u-1}", "u/1", "u 1", "u%2F1", "ü", "u\u0000" })
	void rejectsUserIdsThatCouldBreakAKey(String userId) {
		assertThatExceptionOfType(ApiProblemException.class).isThrownBy(() -> PathVariables.requireUserId(userId))
			.satisfies((ex) -> assertThat(ex.problem().getProperties()).containsEntry("code", "invalid_request"));
		assertThat(PathVariables.problems(userId, null)).extracting(FieldProblem::field).containsExactly("userId");
	}

	@Test
	void rejectsUserIdsLongerThan128Characters() {
		assertThatNoException().isThrownBy(() -> PathVariables.requireUserId("u".repeat(128)));
		assertThat(PathVariables.problems("u".repeat(129), null)).hasSize(1);
	}

	@Test
	void namesBothTopicAndUserId() {
		assertThat(PathVariables.problems("a|b", "News")).extracting(FieldProblem::field)
			.containsExactly("topic", "userId");
		assertThat(PathVariables.problems("u-1", "news.weekly")).isEmpty();
		assertThat(PathVariables.problems("u-1", "n".repeat(101))).extracting(FieldProblem::field)
			.containsExactly("topic");
		assertThatExceptionOfType(ApiProblemException.class)
			.isThrownBy(() -> PathVariables.requireTopicAndUserId("{news}", "u-1"));
	}

}
