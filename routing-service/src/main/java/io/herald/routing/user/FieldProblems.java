package io.herald.routing.user;

import io.herald.support.web.FieldProblem;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects the problems of one request while a validator walks its JSON tree, and reads the
 * tree the same way everywhere: an absent field and a JSON {@code null} are the same.
 */
final class FieldProblems {

	private final List<FieldProblem> problems = new ArrayList<>();

	void add(String field, String message) {
		this.problems.add(new FieldProblem(field, message));
	}

	boolean isEmpty() {
		return this.problems.isEmpty();
	}

	/** The value when no problem was found, else every problem. */
	<T> Validated<T> result(Supplier<T> value) {
		return this.problems.isEmpty() ? new Validated.Valid<>(value.get())
				: new Validated.Invalid<>(this.problems);
	}

	/** The outcome for a body that is not a JSON object, which every endpoint expects. */
	static <T> Validated<T> notAnObject() {
		return new Validated.Invalid<>(List.of(new FieldProblem("", "must be a JSON object")));
	}

	/** The node, or {@code null} when it is absent or JSON {@code null}. */
	static @Nullable JsonNode present(@Nullable JsonNode node) {
		return (node == null || node.isNull() || node.isMissingNode()) ? null : node;
	}

	/** The node's text, or {@code null} when it is absent, JSON {@code null} or not a string. */
	static @Nullable String text(@Nullable JsonNode node) {
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

}
