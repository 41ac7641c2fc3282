package io.herald.support.web;

/**
 * One thing wrong with one field of a request.
 *
 * @param field the field's JSON path, for example {@code recipients.users[3]}
 * @param message what is wrong and what is expected
 */
public record FieldProblem(String field, String message) {
}
