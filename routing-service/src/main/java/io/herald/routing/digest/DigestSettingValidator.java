package io.herald.routing.digest;

import io.herald.events.CategoryPatterns;
import io.herald.events.DigestWindow;
import io.herald.events.Identifiers;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.herald.support.web.FieldProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.time.LocalTime;
import java.util.List;

/**
 * Checks a category pattern in a path and the body of {@code PUT /v1/digests/{pattern}}:
 * exactly one of {@code window} (an ISO-8601 duration from {@code PT1M} to {@code P7D})
 * and {@code dailyAt} ({@code HH:mm}, in the user's timezone), and an optional
 * {@code template} (a template id). Unknown fields are ignored.
 */
final class DigestSettingValidator {

	private DigestSettingValidator() {
	}

	/**
	 * The pattern of a path.
	 * @throws ApiProblemException {@code 400} naming {@code pattern} when it is not one
	 */
	static String requirePattern(String pattern) {
		if (!CategoryPatterns.isPattern(pattern)) {
			throw rejection(List.of(new FieldProblem("pattern",
					"is not a category pattern: use an event type such as order.shipped, a prefix such as "
							+ "marketing.*, or *")));
		}
		return pattern;
	}

	/**
	 * The requested setting.
	 * @throws ApiProblemException {@code 400} naming every offending field
	 */
	static Requested validate(JsonNode body) {
		if (!body.isObject()) {
			throw rejection(List.of(FieldProblems.NOT_AN_OBJECT));
		}
		FieldProblems problems = new FieldProblems();
		JsonNode windowNode = FieldProblems.present(body.get("window"));
		JsonNode dailyNode = FieldProblems.present(body.get("dailyAt"));
		JsonNode templateNode = FieldProblems.present(body.get("template"));
		String window = null;
		LocalTime dailyAt = null;
		if ((windowNode == null) == (dailyNode == null)) {
			problems.add("window", "give either window (such as PT1H) or dailyAt (such as 09:00), not both or none");
		}
		if (windowNode != null) {
			window = window(windowNode);
			if (window == null) {
				problems.add("window", "must be an ISO-8601 duration from PT1M to P7D, such as PT1H");
			}
		}
		if (dailyNode != null) {
			String text = FieldProblems.text(dailyNode);
			dailyAt = (DigestWindow.parse(text) instanceof DigestWindow.DailyAt daily) ? daily.time() : null;
			if (dailyAt == null) {
				problems.add("dailyAt", "must be a time of day HH:mm, such as 09:00");
			}
		}
		String template = null;
		if (templateNode != null) {
			template = FieldProblems.text(templateNode);
			if (template == null || !Identifiers.matches(Identifiers.TEMPLATE, template)) {
				problems.add("template", "must be a template id, [a-z0-9_.-]{1,100}");
				template = null;
			}
		}
		if (!problems.isEmpty()) {
			throw rejection(problems.list());
		}
		return new Requested(window, dailyAt, template);
	}

	private static @Nullable String window(JsonNode node) {
		String text = FieldProblems.text(node);
		return (DigestWindow.parse(text) instanceof DigestWindow.Every every) ? every.text() : null;
	}

	static ApiProblemException rejection(List<FieldProblem> problems) {
		String detail = (problems.size() == 1) ? "The field " + problems.get(0).field() + " is invalid."
				: problems.size() + " fields are invalid.";
		if (problems.size() == 1 && problems.get(0).field().isEmpty()) {
			detail = "The body " + problems.get(0).message() + ".";
		}
		return new ApiProblemException(ErrorCode.INVALID_REQUEST, detail, problems,
				org.springframework.http.HttpHeaders.EMPTY);
	}

	/**
	 * A valid request.
	 *
	 * @param window the window, normalized ({@code PT60M} is {@code PT1H}), or
	 * {@code null}
	 * @param dailyAt the time of day, or {@code null}
	 * @param template the template, or {@code null} for the default
	 */
	record Requested(@Nullable String window, @Nullable LocalTime dailyAt, @Nullable String template) {
	}

}
