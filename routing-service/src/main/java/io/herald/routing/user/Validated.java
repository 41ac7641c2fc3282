package io.herald.routing.user;

import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.herald.support.web.FieldProblems;
import org.springframework.http.HttpHeaders;

import java.util.List;
import java.util.function.Supplier;

/**
 * The outcome of validating a request: the value it describes, or every offending field.
 *
 * @param <T> the validated value's type
 */
sealed interface Validated<T> {

	/**
	 * The value, or a {@code 400 invalid_request} problem naming every offending field.
	 * @throws ApiProblemException when the request is invalid
	 */
	T orElseReject();

	/** The request was valid. */
	record Valid<T>(T value) implements Validated<T> {

		@Override
		public T orElseReject() {
			return this.value;
		}

	}

	/** The request was invalid; {@code problems} is never empty. */
	record Invalid<T>(List<FieldProblem> problems) implements Validated<T> {

		public Invalid {
			if (problems.isEmpty()) {
				throw new IllegalArgumentException("an invalid request has at least one problem");
			}
			problems = List.copyOf(problems);
		}

		@Override
		public T orElseReject() {
			throw rejection(this.problems);
		}

	}

	/** The value when no problem was found, else every problem. */
	static <T> Validated<T> of(FieldProblems problems, Supplier<T> value) {
		return problems.isEmpty() ? new Valid<>(value.get()) : new Invalid<>(problems.list());
	}

	/** The outcome for a body that is not a JSON object, which every endpoint expects. */
	static <T> Validated<T> notAnObject() {
		return new Invalid<>(List.of(FieldProblems.NOT_AN_OBJECT));
	}

	/** The {@code 400 invalid_request} problem for these fields. */
	static ApiProblemException rejection(List<FieldProblem> problems) {
		String detail = (problems.size() == 1) ? describe(problems.get(0)) : problems.size() + " fields are invalid.";
		return new ApiProblemException(ErrorCode.INVALID_REQUEST, detail, problems, HttpHeaders.EMPTY);
	}

	private static String describe(FieldProblem problem) {
		return problem.field().isEmpty() ? "The body " + problem.message() + "."
				: "The field " + problem.field() + " is invalid.";
	}

}
