package io.herald.support.web;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Collects the problems of one request while a validator walks its JSON tree, and reads
 * the tree the same way in every service: an absent field and a JSON {@code null} are the
 * same. One instance per request; not thread-safe.
 */
public final class FieldProblems {

	/** The problem of a body that is not a JSON object, which every endpoint expects. */
	public static final FieldProblem NOT_AN_OBJECT = new FieldProblem("", "must be a JSON object");

	private final List<FieldProblem> problems = new ArrayList<>();

	/**
	 * Notes a problem.
	 * @param field the field's JSON path, empty for the body itself
	 * @param message what is wrong and what is expected
	 */
	public void add(String field, String message) {
		this.problems.add(new FieldProblem(field, message));
	}

	/** Whether no problem was noted. */
	public boolean isEmpty() {
		return this.problems.isEmpty();
	}

	/** The problems noted so far, in the order noted. */
	public List<FieldProblem> list() {
		return List.copyOf(this.problems);
	}

	/** The node, or {@code null} when it is absent or JSON {@code null}. */
	public static @Nullable JsonNode present(@Nullable JsonNode node) {
		return (node == null || node.isNull() || node.isMissingNode()) ? null : node;
	}

	/**
	 * The node's text, or {@code null} when it is absent, JSON {@code null} or not a
	 * string.
	 */
	public static @Nullable String text(@Nullable JsonNode node) {
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

}
