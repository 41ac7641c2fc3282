package io.herald.events;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTests {

	@ParameterizedTest
	@ValueSource(strings = { "u-42", "ada@example.com", "tenant:user.1", "+4915", "...", ".a", "a.", "_" })
	void acceptsUserIdsThatCanBeNamedInAPath(String id) {
		assertThat(Identifiers.matches(Identifiers.USER_ID, id)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { ".", "..", "", "a/b", "a|b", "{a}", "a b" })
	void refusesUserIdsThatNoPathCouldName(String id) {
		assertThat(Identifiers.matches(Identifiers.USER_ID, id)).isFalse();
	}

}
