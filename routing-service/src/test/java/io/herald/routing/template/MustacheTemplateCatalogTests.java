package io.herald.routing.template;

import io.herald.events.Channel;
import io.herald.routing.template.TemplateRenderer.Rendered;
import io.herald.routing.template.TemplateRenderer.UnknownTemplateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MustacheTemplateCatalogTests {

	private static final Map<String, Object> ORDER = Map.of("orderId", "981", "customer", Map.of("name", "Ada"));

	@TempDir
	Path root;

	@Test
	void fallsBackFromRegionToLanguageToDefault() {
		TemplateTrees.write(this.root, "shipped/default.yml", "title: Shipped\nbody: On its way\n");
		TemplateTrees.write(this.root, "shipped/de.yml", "title: Versandt\nbody: Unterwegs\n");
		TemplateTrees.write(this.root, "shipped/de-DE.yml", "title: Verschickt\nbody: Unterwegs in DE\n");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.render("shipped", Channel.PUSH, "de-DE", ORDER).title()).isEqualTo("Verschickt");
		assertThat(catalog.render("shipped", Channel.PUSH, "de-AT", ORDER).title()).isEqualTo("Versandt");
		assertThat(catalog.render("shipped", Channel.PUSH, "de", ORDER).title()).isEqualTo("Versandt");
		assertThat(catalog.render("shipped", Channel.PUSH, "fr-FR", ORDER).title()).isEqualTo("Shipped");
		assertThat(catalog.render("shipped", Channel.PUSH, null, ORDER).title()).isEqualTo("Shipped");
	}

	@Test
	void matchesLocalesCaseInsensitivelyWithUnderscoreLikeHyphen() {
		TemplateTrees.write(this.root, "shipped/default.yml", "title: Shipped\nbody: On its way\n");
		TemplateTrees.write(this.root, "shipped/pt_BR.yml", "title: Enviado\n");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.render("shipped", Channel.PUSH, "pt-br", ORDER).title()).isEqualTo("Enviado");
		assertThat(catalog.render("shipped", Channel.PUSH, "PT_BR", ORDER).title()).isEqualTo("Enviado");
		assertThat(catalog.render("shipped", Channel.PUSH, "pt", ORDER).title()).isEqualTo("Shipped");
	}

	@Test
	void channelOverrideWinsOverTheFilesOwnField() {
		TemplateTrees.write(this.root, "shipped/default.yml", """
				title: "Order {{orderId}} shipped"
				body: "Your order {{orderId}} is on its way"
				sms:
				  body: "Order {{orderId}} shipped"
				email:
				  title: "Shipping confirmation {{orderId}}"
				""");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.render("shipped", Channel.SMS, null, ORDER))
			.isEqualTo(new Rendered("Order 981 shipped", "Order 981 shipped", null));
		assertThat(catalog.render("shipped", Channel.EMAIL, null, ORDER))
			.isEqualTo(new Rendered("Shipping confirmation 981", "Your order 981 is on its way", null));
		assertThat(catalog.render("shipped", Channel.PUSH, null, ORDER))
			.isEqualTo(new Rendered("Order 981 shipped", "Your order 981 is on its way", null));
	}

	@Test
	void fieldMissingInASpecificLocaleFallsBackToTheNextLessSpecificOne() {
		TemplateTrees.write(this.root, "shipped/default.yml", """
				title: Shipped
				body: On its way
				html: <p>On its way</p>
				sms:
				  body: Shipped!
				""");
		TemplateTrees.write(this.root, "shipped/de.yml", "body: Unterwegs\nsms:\n  title: Versandt (SMS)\n");
		TemplateTrees.write(this.root, "shipped/de-DE.yml", "title: Verschickt\n");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.render("shipped", Channel.EMAIL, "de-DE", ORDER))
			.isEqualTo(new Rendered("Verschickt", "Unterwegs", "<p>On its way</p>"));
		assertThat(catalog.render("shipped", Channel.SMS, "de-CH", ORDER))
			.isEqualTo(new Rendered("Versandt (SMS)", "Unterwegs", null));
	}

	@Test
	void moreSpecificLocaleWinsOverAChannelOverrideOfALessSpecificOne() {
		TemplateTrees.write(this.root, "shipped/default.yml", """
				title: Shipped
				body: On its way
				sms:
				  body: Shipped!
				""");
		TemplateTrees.write(this.root, "shipped/de.yml", "body: Unterwegs\n");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.render("shipped", Channel.SMS, "de", ORDER).body()).isEqualTo("Unterwegs");
	}

	@Test
	void escapesHtmlOnlyInTheHtmlBody() {
		TemplateTrees.write(this.root, "note/default.yml", """
				title: "{{subject}}"
				body: "{{text}}"
				html: "<p>{{text}}</p><p>{{{text}}}</p>"
				""");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		Rendered rendered = catalog.render("note", Channel.EMAIL, null,
				Map.of("subject", "Tom & Jerry's <deal>", "text", "a < b & \"c\""));
		assertThat(rendered.title()).isEqualTo("Tom & Jerry's <deal>");
		assertThat(rendered.body()).isEqualTo("a < b & \"c\"");
		assertThat(rendered.html()).isEqualTo("<p>a &lt; b &amp; &quot;c&quot;</p><p>a < b & \"c\"</p>");
	}

	@Test
	void rendersTheHtmlBodyForEmailOnly() {
		TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: Hello\nhtml: <p>Hello</p>\n");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.render("note", Channel.EMAIL, null, Map.of()).html()).isEqualTo("<p>Hello</p>");
		assertThat(catalog.render("note", Channel.INAPP, null, Map.of()).html()).isNull();
		assertThat(catalog.render("note", Channel.PUSH, null, Map.of()).html()).isNull();
		assertThat(catalog.render("note", Channel.SMS, null, Map.of()).html()).isNull();
	}

	@Test
	void missingAndNullVariablesRenderAsNothing() {
		TemplateTrees.write(this.root, "note/default.yml", """
				title: "[{{missing}}][{{customer.missing}}][{{missing.deep}}][{{empty}}]"
				body: "{{#missing}}shown{{/missing}}{{^missing}}not shown{{/missing}}"
				""");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		Map<String, Object> data = new HashMap<>(ORDER);
		data.put("empty", null);
		Rendered rendered = catalog.render("note", Channel.PUSH, null, data);
		assertThat(rendered.title()).isEqualTo("[][][][]");
		assertThat(rendered.body()).isEqualTo("not shown");
	}

	@Test
	void rendersNestedDataAndSectionsOverLists() {
		TemplateTrees.write(this.root, "order/default.yml", """
				title: "Order {{order.id}} for {{order.customer.name}}"
				body: |
				  {{#order.items}}
				  - {{quantity}} x {{name}}
				  {{/order.items}}
				  {{^order.gifts}}No gifts.{{/order.gifts}}
				""");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		List<Map<String, Object>> items = List.of(Map.of("name", "Tea", "quantity", 2),
				Map.of("name", "Cup", "quantity", 1));
		Map<String, Object> order = Map.of("id", "981", "customer", Map.of("name", "Ada"), "items", items, "gifts",
				List.of());
		Rendered rendered = catalog.render("order", Channel.INAPP, null, Map.of("order", order));
		assertThat(rendered.title()).isEqualTo("Order 981 for Ada");
		assertThat(rendered.body()).isEqualTo("- 2 x Tea\n- 1 x Cup\nNo gifts.");
	}

	@Test
	void dropsTheFinalLineBreakOfABlock() {
		TemplateTrees.write(this.root, "note/default.yml", "title: |\n  Hi\nbody: |\n  Line 1\n  Line 2\n\n");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.render("note", Channel.PUSH, null, Map.of()))
			.isEqualTo(new Rendered("Hi", "Line 1\nLine 2", null));
	}

	@Test
	void unknownTemplateIsAnUnknownTemplateException() {
		TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: Hello\n");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.contains("note")).isTrue();
		assertThat(catalog.contains("other")).isFalse();
		assertThatExceptionOfType(UnknownTemplateException.class)
			.isThrownBy(() -> catalog.render("other", Channel.PUSH, "de", Map.of()))
			.withMessage("no template 'other'");
	}

	@Test
	void ignoresFilesBesideTheTemplatesAndHiddenEntries() {
		TemplateTrees.write(this.root, "README.md", "# Templates\n");
		TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: Hello\n");
		TemplateTrees.write(this.root, "note/notes.txt", "not a template");
		TemplateTrees.write(this.root, ".git/config.yml", "not: a template");
		MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromDirectory(this.root);
		assertThat(catalog.templateIds()).containsExactly("note");
	}

}
