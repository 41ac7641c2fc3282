package io.herald.routing.template;

import io.herald.events.Channel;
import io.herald.routing.template.TemplateRenderer.Rendered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ClasspathTemplatesTests {

	private static final Map<String, Object> ORDER = Map.of("orderId", "981", "customer", Map.of("name", "Ada"),
			"trackingUrl", "https://track.example/981?a=1&b=2", "items",
			List.of(Map.of("name", "Tea <green>", "quantity", 2)));

	private final MustacheTemplateCatalog catalog = MustacheTemplateCatalog.fromClasspath();

	@Test
	void loadsTheShippedTemplates() {
		assertThat(this.catalog.templateIds()).contains("order-shipped", "welcome");
	}

	@Test
	void rendersTheShippedOrderTemplateInEveryLocale() {
		assertThat(this.catalog.render("order-shipped", Channel.PUSH, "en-US", ORDER))
			.isEqualTo(new Rendered("Your order 981 has shipped", "Hi Ada, your order 981 is on its way.", null));
		assertThat(this.catalog.render("order-shipped", Channel.PUSH, "de-AT", ORDER)).isEqualTo(new Rendered(
				"Deine Bestellung 981 ist unterwegs", "Hallo Ada, deine Bestellung 981 ist unterwegs.", null));
		assertThat(this.catalog.render("order-shipped", Channel.PUSH, "de_DE", ORDER)).isEqualTo(new Rendered(
				"Deine Bestellung 981 wurde versandt", "Hallo Ada, deine Bestellung 981 ist unterwegs.", null));
	}

	@Test
	void rendersTheShortSmsOfTheShippedOrderTemplate() {
		assertThat(this.catalog.render("order-shipped", Channel.SMS, "de-DE", ORDER).body())
			.isEqualTo("Bestellung 981 versandt. Verfolgen: https://track.example/981?a=1&b=2");
	}

	@Test
	void rendersTheEscapedHtmlEmailOfTheShippedOrderTemplate() {
		Rendered email = this.catalog.render("order-shipped", Channel.EMAIL, null, ORDER);
		assertThat(email.title()).isEqualTo("Shipping confirmation for order 981");
		assertThat(email.body()).contains("- 2 × Tea <green>", "Track your parcel: https://track.example/981?a=1&b=2");
		assertThat(email.html()).contains("<li>2 × Tea &lt;green&gt;</li>",
				"<a href=\"https://track.example/981?a&#x3D;1&amp;b&#x3D;2\">");
	}

	@Test
	void brokenClasspathTemplateNamesItsClasspathLocationAndLine(@TempDir Path root) {
		TemplateTrees.write(root, "templates/note/default.yml", "title: Hi\nbody: Hello\nsms:\n  titel: Hi\n");
		assertThatExceptionOfType(InvalidTemplateException.class).isThrownBy(() -> fromClasspathRoots(root))
			.withMessageStartingWith("classpath:templates/note/default.yml, line 4: unknown key 'titel' in 'sms'");
	}

	@Test
	void classpathTemplateFileOutsideATemplateDirectoryIsRejected(@TempDir Path root) {
		TemplateTrees.write(root, "templates/note/default.yml", "title: Hi\nbody: Hello\n");
		TemplateTrees.write(root, "templates/note/old/default.yml", "title: Hi\nbody: Hello\n");
		assertThatExceptionOfType(InvalidTemplateException.class).isThrownBy(() -> fromClasspathRoots(root))
			.withMessageContaining("templates/note/old/default.yml: a template file must be directly in");
	}

	@Test
	void sameTemplateFileInTwoClasspathRootsIsRejected(@TempDir Path first, @TempDir Path second) {
		TemplateTrees.write(first, "templates/note/default.yml", "title: Hi\nbody: Hello\n");
		TemplateTrees.write(second, "templates/note/default.yml", "title: Hi\nbody: Hello\n");
		assertThatExceptionOfType(InvalidTemplateException.class).isThrownBy(() -> fromClasspathRoots(first, second))
			.withMessageStartingWith("classpath:templates/note/default.yml: found twice on the classpath");
	}

	@Test
	void rendersTheShippedWelcomeTemplate() {
		Map<String, Object> data = Map.of("customer", Map.of("name", "Ada"));
		assertThat(this.catalog.render("welcome", Channel.INAPP, "fr", data).title()).isEqualTo("Welcome, Ada");
	}

	private static MustacheTemplateCatalog fromClasspathRoots(Path... roots) throws Exception {
		URL[] urls = new URL[roots.length];
		for (int i = 0; i < roots.length; i++) {
			urls[i] = roots[i].toUri().toURL();
		}
		try (URLClassLoader classLoader = new URLClassLoader(urls, null)) {
			return MustacheTemplateCatalog.fromClasspath(new PathMatchingResourcePatternResolver(classLoader));
		}
	}

}
