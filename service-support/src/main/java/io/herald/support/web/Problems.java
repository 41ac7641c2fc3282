package io.herald.support.web;

import org.springframework.http.ProblemDetail;

import java.util.List;

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

}
