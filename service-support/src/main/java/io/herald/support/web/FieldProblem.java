package io.herald.support.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with one field of a request.
 *
 * @param field the field's JSON path, for example {@code recipients.users[3]}
 * @param message what is wrong and what is expected
 * @param line where the problem is, when that is more precise than the field: the 1-based
 * line within the field's text (a template's Mustache), or within the request body;
 * {@code null} when the field says it all
 * @param column the 1-based column on that line, or {@code null} when not known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldProblem(String field, String message, @Nullable Integer line, @Nullable Integer column) {

	/** A problem the field names precisely enough. */
	public FieldProblem(String field, String message) {
		this(field, message, null, null);
	}

}
