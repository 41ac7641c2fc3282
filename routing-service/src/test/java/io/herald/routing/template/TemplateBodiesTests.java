package io.herald.routing.template;

import io.herald.events.Channel;
import io.herald.events.JsonCodec;
import io.herald.support.web.FieldProblem;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateBodiesTests {

	@Test
	void readsATemplateInTheModelOfTheFilesWithNormalizedLocales() {
		List<FieldProblem> problems = new ArrayList<>();
		TemplateBodies.Parsed parsed = read("""
				{"locales": {"default": {"title": "Order {{orderId}}", "body": "b", "sms": {"body": "s {{orderId}}"}},
				             "de-DE": {"title": "Bestellung {{orderId}}"}}}""", problems);
		assertThat(problems).isEmpty();
		assertThat(parsed.texts()).containsOnlyKeys("default", "de-de");
		assertThat(parsed.texts().get("default").channels().get(Channel.SMS).body()).isEqualTo("s {{orderId}}");
		Map<String, @Nullable Object> data = Map.of("orderId", "981");
		assertThat(parsed.compiled().render(Channel.SMS, "de_DE", data).body()).isEqualTo("s 981");
		assertThat(parsed.compiled().render(Channel.PUSH, "de-DE", data).title()).isEqualTo("Bestellung 981");
	}

	@Test
	void namesTheFieldLineAndColumnOfAProblemOfTheStructure() {
		List<FieldProblem> problems = new ArrayList<>();
		assertThat(read(
				"{\n  \"locales\": {\n    \"default\": {\"title\": \"t\", \"body\": \"b\", \"sms\": {\"html\": \"x\"}}\n  }\n}",
				problems))
			.isNull();
		assertThat(problems).containsExactly(new FieldProblem("locales.default.sms.html",
				"would never be used; only email has an HTML body", 3, 52));
	}

	@Test
	void namesTheFieldAndTheLineAndColumnWithinTheTextOfAMustacheProblem() {
		List<FieldProblem> problems = new ArrayList<>();
		assertThat(read("{\"locales\": {\"default\": {\"title\": \"t\", \"body\": \"line one\\n  {{> footer}}\"}}}",
				problems))
			.isNull();
		assertThat(problems).singleElement().satisfies((problem) -> {
			assertThat(problem.field()).isEqualTo("locales.default.body");
			assertThat(problem.line()).isEqualTo(2);
			assertThat(problem.column()).isEqualTo(3);
			assertThat(problem.message()).startsWith("invalid Mustache: partials");
		});
	}

	@Test
	void reportsEveryProblemAtOnce() {
		List<FieldProblem> problems = new ArrayList<>();
		assertThat(read("""
				{"locales": {"de": {"titel": "x", "push": "y", "body": 1}, "Not A Locale": {}}, "name": "x"}""",
				problems))
			.isNull();
		assertThat(problems).extracting(FieldProblem::field)
			.containsExactly("locales.de.titel", "locales.de.push", "locales.de.body", "locales.Not A Locale",
					"locales", "name");
	}

	@Test
	void readsATemplateWithinALargerBodyUnderItsPath() {
		List<FieldProblem> problems = new ArrayList<>();
		try (JsonParser parser = JsonCodec.MAPPER.createParser("{\"template\": {\"locales\": {}}}")) {
			parser.nextToken();
			parser.nextToken();
			parser.nextToken();
			assertThat(TemplateBodies.read(parser, "template.", problems)).isNull();
		}
		assertThat(problems).extracting(FieldProblem::field).containsExactly("template.locales");
	}

	private static TemplateBodies.@Nullable Parsed read(String json, List<FieldProblem> problems) {
		try (JsonParser parser = JsonCodec.MAPPER.createParser(json)) {
			parser.nextToken();
			return TemplateBodies.read(parser, "", problems);
		}
	}

}
