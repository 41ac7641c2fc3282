package io.herald.support.web;

import org.springframework.http.ProblemDetail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds problem details. */
public final class Problems {

	private Problems() {
	}

	/** A problem detail naming each offending field under {@code errors}. */
	public static ProblemDetail of(ErrorCode code, String detail, List<FieldProblem> fieldProblems) {
		ProblemDetail problem = code.problem(detail);
		if (!fieldProblems.isEmpty()) {
			problem.setProperty("errors", fieldProblems);
		}
		return problem;
	}

	/**
	 * The members of a problem detail as JSON writes them, for answers Spring MVC does
	 * not write itself: {@code type}, {@code title}, {@code status}, {@code detail}, then
	 * its properties.
	 */
	public static Map<String, Object> members(ProblemDetail problem) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("type", problem.getType().toString());
		json.put("title", problem.getTitle());
		json.put("status", problem.getStatus());
		json.put("detail", problem.getDetail());
		if (problem.getProperties() != null) {
			json.putAll(problem.getProperties());
		}
		return json;
	}

}
