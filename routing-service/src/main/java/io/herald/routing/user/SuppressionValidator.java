package io.herald.routing.user;

import io.herald.events.SuppressionReason;
import io.herald.events.WireNamed;
import io.herald.support.web.FieldProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Checks the body of {@code PUT /v1/users/{userId}/suppressions/{channel}}:
 * {@code reason} (required) is one of {@code bad_address}, {@code invalid_number},
 * {@code unsubscribed}, {@code complaint}, {@code manual}. Unknown fields are ignored.
 */
final class SuppressionValidator {

	static final String REASON_SHAPE = "must be one of " + Arrays.stream(SuppressionReason.values())
		.map(SuppressionReason::wireName)
		.collect(Collectors.joining(", "));

	private SuppressionValidator() {
	}

	static Validated<SuppressionReason> validate(JsonNode body) {
		if (!body.isObject()) {
			return Validated.notAnObject();
		}
		FieldProblems problems = new FieldProblems();
		String text = FieldProblems.text(FieldProblems.present(body.get("reason")));
		@Nullable SuppressionReason reason = (text != null) ? WireNamed.find(SuppressionReason.values(), text) : null;
		if (reason == null) {
			problems.add("reason", REASON_SHAPE);
		}
		return Validated.of(problems, () -> reason);
	}

}
