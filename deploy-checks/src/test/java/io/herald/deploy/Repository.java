package io.herald.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repository's files as the deployment checks read them: found from the working
 * directory (the module's, when Maven runs the tests), YAML parsed with SnakeYAML's safe
 * constructor, which resolves anchors and merge keys ({@code <<}) as Docker Compose and
 * kubectl do.
 */
final class Repository {

	private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

	private static final Pattern PARENT = Pattern.compile("<parent>.*?</parent>", Pattern.DOTALL);

	private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");

	private static final Path ROOT = findRoot(Path.of("").toAbsolutePath());

	private Repository() {
	}

	/**
	 * The repository's root: the nearest directory up from here with the Maven Wrapper
	 * and the parent pom.
	 */
	static Path root() {
		return ROOT;
	}

	/** A path relative to the root. */
	static Path file(String relative) {
		return ROOT.resolve(relative);
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	/** The single YAML document of a file, as maps, lists and scalars. */
	static Map<String, Object> yaml(Path file) {
		Object document = newYaml().load(read(file));
		if (!(document instanceof Map<?, ?>)) {
			throw new IllegalStateException(file + " is not a YAML mapping");
		}
		return Maps.of(document);
	}

	/** Every non-empty YAML document of a file, in order. */
	static List<Map<String, Object>> yamlDocuments(Path file) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : newYaml().loadAll(read(file))) {
			if (document == null) {
				continue;
			}
			if (!(document instanceof Map<?, ?>)) {
				throw new IllegalStateException(file + " has a YAML document that is not a mapping");
			}
			documents.add(Maps.of(document));
		}
		return documents;
	}

	/** The modules the root pom lists, in its order. */
	static List<String> modules() {
		Matcher matcher = MODULE.matcher(read(file("pom.xml")));
		List<String> modules = new ArrayList<>();
		while (matcher.find()) {
			modules.add(matcher.group(1).trim());
		}
		return modules;
	}

	/**
	 * The directory of the module of the root pom whose artifact this is: the artifact is
	 * named after its directory but for nested modules such as {@code clients/js}
	 * ({@code js-clients}).
	 */
	static Path module(String artifactId) {
		for (String module : modules()) {
			String pom = PARENT.matcher(read(file(module).resolve("pom.xml"))).replaceFirst("");
			Matcher artifact = ARTIFACT_ID.matcher(pom);
			if (artifact.find() && artifact.group(1).trim().equals(artifactId)) {
				return file(module);
			}
		}
		throw new IllegalArgumentException("No module of the root pom builds " + artifactId);
	}

	private static Yaml newYaml() {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		return new Yaml(new SafeConstructor(options));
	}

	private static Path findRoot(Path start) {
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			Path pom = dir.resolve("pom.xml");
			if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(pom)
					&& read(pom).contains("<artifactId>herald-parent</artifactId>")) {
				return dir;
			}
		}
		throw new IllegalStateException("No Herald repository above " + start);
	}

}
