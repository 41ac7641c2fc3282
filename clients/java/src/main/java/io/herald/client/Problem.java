package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * An RFC 9457 problem detail as Herald answers it (docs/errors.md).
 *
 * @param type the problem's type URI, {@code urn:herald:problem:<code>}
 * @param title a short summary
 * @param status the HTTP status
 * @param detail what went wrong with this request, when Herald says
 * @param code the stable code of the catalogue, such as {@code invalid_event}
 * @param errors the offending fields, for a request that breaks rules
 */
public record Problem(String type, String title, int status, @Nullable String detail, String code,
		List<FieldError> errors) {

	public Problem {
		errors = List.copyOf(errors);
	}

	/**
	 * One offending field.
	 *
	 * @param field the field's path, such as {@code recipients.users[3]}
	 * @param message what is wrong with it
	 */
	public record FieldError(String field, String message) {
	}

}
