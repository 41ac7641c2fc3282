package io.herald.routing.template;

import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TemplateValidationTests {

	private static final String VALID = "title: Hi\nbody: Hello\n";

	@TempDir
	Path root;

	@Test
	void yamlSyntaxErrorNamesFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: Hello\n  sms: [oops\n");
		assertInvalid(file, 3).withMessageContaining("invalid YAML");
	}

	@Test
	void unknownKeyNamesFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: Hello\ntitel: Hi\n");
		assertInvalid(file, 3).withMessageContaining("unknown key 'titel'");
	}

	@Test
	void unknownKeyInAChannelSectionNamesFileAndLine() {
		TemplateTrees.write(this.root, "note/default.yml", VALID);
		Path file = TemplateTrees.write(this.root, "note/de.yml", "title: Hallo\nsms:\n  text: Hallo\n");
		assertInvalid(file, 3).withMessageContaining("unknown key 'text' in 'sms'");
	}

	@Test
	void htmlOutsideEmailIsRejected() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", VALID + "push:\n  html: <p>Hi</p>\n");
		assertInvalid(file, 4).withMessageContaining("'html' in 'push'");
	}

	@Test
	void duplicateKeyNamesFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", VALID + "title: Again\n");
		assertInvalid(file, 3).withMessageContaining("duplicate key 'title', first at line 1");
	}

	@Test
	void valueThatIsNotTextNamesFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: 42\n");
		assertInvalid(file, 2).withMessageContaining("'body' must be text, found a number (quote the value)");
	}

	@Test
	void unquotedMustacheAtTheStartOfAValueGetsAHint() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: {{name}}\n");
		assertInvalid(file, 2).withMessageContaining("quote a value that starts with '{{'");
		TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: {{name}} is here\n");
		assertInvalid(file, 2).withMessageContaining("invalid YAML")
			.withMessageContaining("quote a value that starts with '{{'");
	}

	@Test
	void mergeKeysAreRejected() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", VALID + "<<: {sms: {body: Hi}}\n");
		assertInvalid(file, 3).withMessageContaining("merge keys");
	}

	@Test
	void channelSectionThatIsNotAMappingNamesFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", VALID + "sms: Hi\n");
		assertInvalid(file, 3).withMessageContaining("'sms' must be a mapping");
	}

	@Test
	void mustacheErrorInABlockNamesTheLineWithinTheFile() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", """
				title: Hi
				body: |
				  Hello {{name}},
				  {{#items}}
				  - {{name}}
				  {{/item}}
				""");
		assertInvalid(file, 6).withMessageContaining("invalid Mustache in 'body'");
	}

	@Test
	void mustacheErrorInAChannelSectionNamesTheLineWithinTheFile() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", VALID + "email:\n  title: \"{{#a}}open\"\n");
		assertInvalid(file, 4).withMessageContaining("invalid Mustache in 'email.title'");
	}

	@Test
	void unclosedTagNamesTheLineWithinTheFile() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: |\n  Hello\n  {{name\n");
		assertInvalid(file, 4).withMessageContaining("'{{' without a closing '}}'");
	}

	@Test
	void emptyTagIsRejected() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: \"{{}}\"\nbody: Hello\n");
		assertInvalid(file, 1).withMessageContaining("invalid Mustache in 'title'");
	}

	@Test
	void partialsAreRejected() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\nbody: |\n  Hello\n  {{> footer}}\n");
		assertInvalid(file, 4).withMessageContaining("partials");
	}

	@Test
	void defaultWithoutTitleNamesFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "# a comment\nbody: Hello\nsms:\n  title: Hi\n");
		assertInvalid(file, 2).withMessageContaining("default.yml needs a top-level 'title'");
	}

	@Test
	void defaultWithoutBodyNamesFileAndLine() {
		Path file = TemplateTrees.write(this.root, "note/default.yml", "title: Hi\n");
		assertInvalid(file, 1).withMessageContaining("default.yml needs a top-level 'body'");
	}

	@Test
	void emptyFileIsRejected() {
		TemplateTrees.write(this.root, "note/default.yml", VALID);
		Path file = TemplateTrees.write(this.root, "note/de.yml", "# nothing yet\n");
		assertInvalid(file).withMessageContaining("the file is empty");
	}

	@Test
	void templateWithoutDefaultNamesTheDirectory() {
		TemplateTrees.write(this.root, "note/de.yml", VALID);
		assertInvalid(this.root.resolve("note")).withMessageContaining("no default.yml");
	}

	@Test
	void emptyTemplateDirectoryIsRejected() throws Exception {
		Files.createDirectories(this.root.resolve("note"));
		assertInvalid(this.root.resolve("note")).withMessageContaining("no default.yml");
	}

	@Test
	void twoFilesForOneLocaleAreRejected() {
		TemplateTrees.write(this.root, "note/default.yml", VALID);
		TemplateTrees.write(this.root, "note/de-DE.yml", "title: Hallo\n");
		Path second = TemplateTrees.write(this.root, "note/de_de.yml", "title: Hallo\n");
		assertInvalid(second).withMessageContaining("the same locale as");
	}

	@Test
	void directoryNameThatIsNotATemplateIdIsRejected() {
		TemplateTrees.write(this.root, "Order Shipped/default.yml", VALID);
		assertInvalid(this.root.resolve("Order Shipped")).withMessageContaining("is not a template id");
	}

	@Test
	void fileNameThatIsNotALocaleIsRejected() {
		TemplateTrees.write(this.root, "note/default.yml", VALID);
		Path file = TemplateTrees.write(this.root, "note/german.backup.yml", VALID);
		assertInvalid(file).withMessageContaining("is not a locale");
	}

	@Test
	void yamlExtensionIsRejected() {
		TemplateTrees.write(this.root, "note/default.yml", VALID);
		Path file = TemplateTrees.write(this.root, "note/de.yaml", VALID);
		assertInvalid(file).withMessageContaining("must end in .yml");
	}

	@Test
	void templateFileOutsideATemplateDirectoryIsRejected() {
		Path file = TemplateTrees.write(this.root, "default.yml", VALID);
		assertInvalid(file).withMessageContaining("must be in its template's directory");
	}

	@Test
	void templateFileNestedDeeperIsRejected() {
		TemplateTrees.write(this.root, "note/default.yml", VALID);
		Path file = TemplateTrees.write(this.root, "note/old/default.yml", VALID);
		assertInvalid(file).withMessageContaining("must be directly in its template's directory");
	}

	@Test
	void missingDirectoryIsRejected() {
		Path absent = this.root.resolve("absent");
		assertThatExceptionOfType(InvalidTemplateException.class)
			.isThrownBy(() -> MustacheTemplateCatalog.fromDirectory(absent))
			.withMessage(absent + ": no such template directory");
	}

	private ThrowableAssertAlternative<InvalidTemplateException> assertInvalid(Path location, int line) {
		return assertThatExceptionOfType(InvalidTemplateException.class)
			.isThrownBy(() -> MustacheTemplateCatalog.fromDirectory(this.root))
			.withMessageStartingWith(location + ", line " + line + ": ")
			.satisfies((ex) -> assertThat(ex.getLine()).isEqualTo(line));
	}

	private ThrowableAssertAlternative<InvalidTemplateException> assertInvalid(Path location) {
		return assertThatExceptionOfType(InvalidTemplateException.class)
			.isThrownBy(() -> MustacheTemplateCatalog.fromDirectory(this.root))
			.withMessageStartingWith(location + ": ");
	}

}
