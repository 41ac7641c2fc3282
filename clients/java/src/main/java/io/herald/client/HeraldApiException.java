package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Herald answered with a problem detail. {@link #kind()} says what it means for the
 * caller, {@link #problem()} carries the code and the offending fields.
 */
public final class HeraldApiException extends HeraldException {

	private final Problem problem;

	private final @Nullable Duration retryAfter;

	HeraldApiException(Problem problem, @Nullable Duration retryAfter) {
		super(problem.status() + " " + problem.code()
				+ ((problem.detail() != null) ? ": " + problem.detail() : ": " + problem.title()), null);
		this.problem = problem;
		this.retryAfter = retryAfter;
	}

	public Problem problem() {
		return this.problem;
	}

	public ProblemKind kind() {
		return ProblemKind.of(this.problem.status());
	}

	public int status() {
		return this.problem.status();
	}

	/**
	 * The stable code of the catalogue (docs/errors.md), such as {@code invalid_event}.
	 */
	public String code() {
		return this.problem.code();
	}

	/**
	 * How long Herald asked to wait before trying again ({@code Retry-After}), if it
	 * said.
	 */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

}
