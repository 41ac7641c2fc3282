package io.herald.routing.template;

import io.herald.events.Channel;
import io.herald.events.TemplateTexts;
import io.herald.routing.template.TemplateCompiler.Compiled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TemplateCompilerTests {

	@Test
	void compilesAPlainTemplate() {
		assertThat(TemplateCompiler.compile("Hi {{name}}, {{#items}}{{.}} {{/items}}", TemplateField.BODY))
			.isInstanceOf(Compiled.Valid.class);
	}

	@Test
	void namesTheLineOfASyntaxError() {
		Compiled compiled = TemplateCompiler.compile("Hi\n{{#items}}\nx\n{{/item}}", TemplateField.BODY);
		assertThat(compiled).isInstanceOfSatisfying(Compiled.Invalid.class,
				(invalid) -> assertThat(invalid.line()).isEqualTo(4));
	}

	@Test
	void namesLineAndColumnOfAPartial() {
		Compiled compiled = TemplateCompiler.compile("Hi\n  {{> /etc/passwd}}", TemplateField.BODY);
		assertThat(compiled).isInstanceOfSatisfying(Compiled.Invalid.class, (invalid) -> {
			assertThat(invalid.line()).isEqualTo(2);
			assertThat(invalid.column()).isEqualTo(3);
			assertThat(invalid.message()).contains("partials");
		});
	}

	@Test
	void refusesTemplateInheritanceAndBlocks() {
		assertThat(TemplateCompiler.compile("{{< acme-layout}}{{/acme-layout}}", TemplateField.BODY))
			.isInstanceOf(Compiled.Invalid.class);
		assertThat(TemplateCompiler.compile("{{$title}}x{{/title}}", TemplateField.BODY))
			.isInstanceOf(Compiled.Invalid.class);
	}

	@Test
	void refusesAChangeOfDelimitersWhichWouldHideTags() {
		Compiled compiled = TemplateCompiler.compile("x {{=<% %>=}} <%> other%>", TemplateField.BODY);
		assertThat(compiled).isInstanceOfSatisfying(Compiled.Invalid.class, (invalid) -> {
			assertThat(invalid.message()).contains("delimiters");
			assertThat(invalid.column()).isEqualTo(3);
		});
	}

	@Test
	void refusesSectionsNestedTooDeep() {
		int depth = TemplateCompiler.MAX_SECTION_DEPTH;
		assertThat(TemplateCompiler.compile("{{#a}}".repeat(depth) + "{{/a}}".repeat(depth), TemplateField.BODY))
			.isInstanceOf(Compiled.Valid.class);
		Compiled deep = TemplateCompiler.compile("{{#a}}".repeat(20_000) + "{{/a}}".repeat(20_000), TemplateField.BODY);
		assertThat(deep).isInstanceOfSatisfying(Compiled.Invalid.class,
				(invalid) -> assertThat(invalid.message()).contains("nest more than " + depth));
	}

	@Test
	void looksUpNothingByReflection() {
		CompiledTemplate template = template(
				"{{name.class}}|{{name.bytes}}|{{name.length}}|{{items.size}}|{{name}}|{{items.1}}");
		assertThat(template.render(Channel.PUSH, null, Map.of("name", "Ada", "items", List.of(1, 2))).body())
			.isEqualTo("||||Ada|2");
	}

	@Test
	void stopsSectionsThatIterateTooOften() {
		List<Integer> list = Collections.nCopies(1000, 1);
		CompiledTemplate template = template("{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}");
		assertThatExceptionOfType(TemplateRenderer.RenderFailedException.class)
			.isThrownBy(() -> template.render(Channel.PUSH, null, Map.of("l", list)))
			.withMessageContaining("iterate over more than");
	}

	@Test
	void stopsAMessageThatWouldBeTooLong() {
		List<String> list = new ArrayList<>(Collections.nCopies(5_000, "x".repeat(100)));
		CompiledTemplate template = template("{{#l}}{{.}}{{/l}}");
		assertThatExceptionOfType(TemplateRenderer.RenderFailedException.class)
			.isThrownBy(() -> template.render(Channel.PUSH, null, Map.of("l", list)))
			.withMessageContaining("longer than");
	}

	@Test
	void aBudgetSpansTitleBodyAndHtmlOfOneMessageOnly() {
		CompiledTemplate template = template("{{#l}}{{.}}{{/l}}");
		List<Integer> list = Collections.nCopies(RenderBudget.MAX_ITERATIONS / 3, 7);
		for (int i = 0; i < 5; i++) {
			assertThat(template.render(Channel.EMAIL, null, Map.of("l", list)).body()).hasSize(list.size());
		}
	}

	private static CompiledTemplate template(String body) {
		return CompiledTemplate.compile("test",
				Map.of("default", new TemplateTexts("t", body, "<p>" + body + "</p>", Map.of())));
	}

}
